import Foundation
import Testing
import TongdaoCore

@Suite("GS1 element strings of UDI labels: both forms read alike, every problem names its element")
struct GS1ElementStringTests {
    static let today = CivilDate("2026-12-06")!

    static func read(_ text: String) -> Result<GS1ElementString, GS1ElementString.Problem> { GS1ElementString.parse(text, today: today) }

    @Test("the bracketed form, the machine form with GS after a variable value and a scanner's prefix: the same DI and PI")
    func forms() throws {
        let bracketed = try Self.read("(01)09506000134352(17)261231(10)ABC123(21)XYZ").get()
        let scanned = try Self.read("]d2010950600013435217261231" + "10ABC123\u{1D}21XYZ").get()
        #expect(bracketed == scanned)
        #expect(bracketed.deviceIdentifier == "09506000134352" && bracketed.lot == "ABC123" && bracketed.serial == "XYZ")
        #expect(bracketed.expiryDate == CivilDate("2026-12-31") && bracketed.productionIdentifiers.map(\.ai) == ["17", "10", "21"])
        // Day 00 is the month's last; the century within 49 years back and 50 ahead.
        #expect(try Self.read("(01)09506000134352(17)270200").get().expiryDate == CivilDate("2027-02-28"))
        #expect(try Self.read("(01)09506000134352(11)760101").get().productionDate == CivilDate("2076-01-01"))
        #expect(try Self.read("(01)09506000134352(11)770102").get().productionDate == CivilDate("1977-01-02"))
    }

    @Test(
        "bad strings are refused naming the element",
        arguments: [
            ("(01)09506000134353", "(01) 产品标识（GTIN）校验位错误"),
            ("(01)0950600013435", "(01) 产品标识（GTIN）应为 14 位，实为 13 位"),
            ("(01)09506000134352(17)261331", "(17) 失效日期不是有效日期（YYMMDD）"),
            ("(01)09506000134352(17)260230", "(17) 失效日期不是有效日期（YYMMDD）"),
            ("(01)09506000134352(10)ABCDEFGHIJKLMNOPQRSTU", "(10) 批号至多 20 位，实为 21 位"),
            ("(01)09506000134352(10)批号", "(10) 批号含有 GS1 不允许的字符"),
            ("(01)09506000134352(10)A(10)B", "(10) 批号重复出现"),
            ("(01)09506000134352(89)X", "(89) 不是本平台可识别的应用标识符"),
            ("0109506000134352171", "(17) 失效日期应为 6 位，只有 1 位"),
            ("", "条码内容为空"),
            ("01095060001343521X", "无法识别第 17 个字符起的应用标识符"),
        ])
    func refused(text: String, message: String) {
        guard case .failure(let problem) = Self.read(text) else {
            Issue.record("\(text) was read")
            return
        }
        #expect(problem.message == message)
    }
}
