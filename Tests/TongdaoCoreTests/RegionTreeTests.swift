import Testing
import TongdaoCore

@Suite("The administrative tree")
struct RegionTreeTests {
    let city = Region(code: "310000", name: "上海市", level: .city, parentCode: nil)
    let pudong = Region(code: "310115", name: "浦东新区", level: .district, parentCode: "310000")
    let zhangjiang = Region(code: "zhangjiang", name: "张江", level: .park, parentCode: "310115")

    @Test("a well-formed tree is kept ordered by level, then code")
    func wellFormed() throws {
        let tree = try RegionTree([zhangjiang, pudong, city])
        #expect(tree.regions == [city, pudong, zhangjiang])
        #expect(tree.children(of: "310115") == [zhangjiang])
    }

    @Test("shape errors are refused with the region named")
    func shapeErrors() {
        #expect(throws: RegionTree.Problem.duplicateCode("310115")) { try RegionTree([city, pudong, pudong]) }
        #expect(throws: RegionTree.Problem.cityCount(0)) { try RegionTree([pudong]) }
        #expect(throws: RegionTree.Problem.missingParent(code: "zhangjiang", parent: "310115")) { try RegionTree([city, zhangjiang]) }
        let parkUnderCity = Region(code: "lingang", name: "临港", level: .park, parentCode: "310000")
        #expect(throws: RegionTree.Problem.wrongParentLevel(code: "lingang", parent: "310000")) { try RegionTree([city, parkUnderCity]) }
        let badDistrict = Region(code: "31011", name: "?", level: .district, parentCode: "310000")
        #expect(throws: RegionTree.Problem.invalidCode("31011")) { try RegionTree([city, badDistrict]) }
        let badPark = Region(code: "Zhang Jiang", name: "?", level: .park, parentCode: "310115")
        #expect(throws: RegionTree.Problem.invalidCode("Zhang Jiang")) { try RegionTree([city, pudong, badPark]) }
    }

    @Test("levels nest province ⊃ city ⊃ district ⊃ park")
    func levels() {
        #expect(RegionLevel.province < .city && RegionLevel.city < .district && RegionLevel.district < .park)
        #expect(RegionLevel.park.parentLevel == .district)
        #expect(RegionLevel.district.parentLevel == .city)
        #expect(RegionLevel.city.parentLevel == .province)
        #expect(RegionLevel.province.parentLevel == nil)
    }

    @Test("the partner provinces hold their cities; Shanghai stays the one city under no province")
    func provinces() throws {
        let jiangsu = Region(code: "320000", name: "江苏省", level: .province, parentCode: nil)
        let suzhou = Region(code: "320500", name: "苏州市", level: .city, parentCode: "320000")
        let tree = try RegionTree([suzhou, pudong, jiangsu, city])
        #expect(tree.regions == [jiangsu, city, suzhou, pudong])
        #expect(tree.city == city)
        let orphan = Region(code: "330100", name: "杭州市", level: .city, parentCode: nil)
        #expect(throws: RegionTree.Problem.cityCount(2)) { try RegionTree([city, orphan]) }
        let underDistrict = Region(code: "320500", name: "苏州市", level: .city, parentCode: "310115")
        #expect(throws: RegionTree.Problem.wrongParentLevel(code: "320500", parent: "310115")) { try RegionTree([city, pudong, underDistrict]) }
        let provinceUnderCity = Region(code: "320000", name: "江苏省", level: .province, parentCode: "310000")
        #expect(throws: RegionTree.Problem.wrongParentLevel(code: "320000", parent: "310000")) { try RegionTree([city, provinceUnderCity]) }
    }
}
