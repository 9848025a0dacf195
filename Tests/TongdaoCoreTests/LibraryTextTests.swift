import Testing
import TongdaoCore

@Suite("The library's text: search keys by character pairs, and what identifies an enterprise found and taken out")
struct LibraryTextTests {
    @Test("Chinese runs cut into overlapping pairs, a lone character kept, Latin words and numbers whole and lower case, full-width folded")
    func grams() {
        #expect(SearchGrams.grams(of: "创新审查") == ["创新", "新审", "审查"])
        #expect(SearchGrams.grams(of: "CT机，第3类；ＭＲＩ设备 a") == ["ct", "机", "第", "3", "类", "mri", "设备"])
        #expect(SearchGrams.grams(of: "审查审查") == ["审查", "查审"], "each key once")
        #expect(SearchGrams.grams(of: "，。！ ").isEmpty)
        // Two wordings of one question share their telling pairs.
        let entry = Set(SearchGrams.grams(of: "创新医疗器械特别审查申请需要提交哪些资料"))
        let asked = Set(SearchGrams.grams(of: "申请创新审查要准备什么材料"))
        #expect(entry.intersection(asked) == ["申请", "创新", "审查"])
        // An entry's title keys again, marked; a query looks for both.
        #expect(SearchGrams.entryKeys(title: "延续注册", body: "届满前") == ["延续", "续注", "注册", "届满", "满前", "^延续", "^续注", "^注册"])
        #expect(SearchGrams.queryKeys("注册") == ["注册", "^注册"])
    }

    @Test("an enterprise's names: in full, without 上海 and the company form, and its first four characters")
    func aliases() {
        #expect(Set(Anonymiser.aliases(ofEnterprise: "上海联影医疗科技股份有限公司")) == ["上海联影医疗科技股份有限公司", "联影医疗科技", "联影医疗"])
        #expect(Set(Anonymiser.aliases(ofEnterprise: "上海微创有限公司")) == ["上海微创有限公司", "微创"])
    }

    @Test("names, telephone numbers, an area code and number, e-mail addresses and credit codes found; standards' numbers and years left alone")
    func leaks() {
        let identity = Anonymiser.Identity(enterprises: ["上海联影医疗科技股份有限公司"], products: ["光学导航系统"], people: ["张伟"])
        let text = "联影医疗的光学导航系统，联系张伟 13912345678 或 021-64001234，rd@united.example.cn，代码 91310115MA1K000016。"
        let found = Anonymiser.leaks(in: text, identity)
        #expect(Set(found.map(\.what)) == ["企业名称", "产品名称", "人名", "电话或证照号码", "电子邮箱", "统一社会信用代码"])
        #expect(found.filter { $0.what == "电话或证照号码" }.map(\.text) == ["13912345678", "021-64001234"])
        #expect(Anonymiser.leaks(in: "按 GB 9706.1-2020 和 YY/T 0287-2017，2026年 起执行，第3类。", identity).isEmpty)
        let redacted = Anonymiser.redact(text, identity)
        #expect(redacted == "某企业的某产品，联系某某 ×××× 或 ××××，（邮箱已隐去），代码 （代码已隐去）。")
        #expect(Anonymiser.leaks(in: redacted, identity).isEmpty)
    }
}
