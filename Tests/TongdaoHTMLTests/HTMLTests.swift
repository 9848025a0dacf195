import Foundation
import Testing
#if canImport(FoundationXML)
    import FoundationXML
#endif
import TongdaoHTML

@Suite("HTML: every text and attribute value escaped where it is rendered")
struct HTMLTests {
    static let hostile = [
        #"x"><img src=x onerror=alert(2)>"#, "测试\"引号<b>公司", "&amp; &lt;b&gt; &#60;", "</script><script>alert(1)</script>", "a\u{2028}b\u{2029}c",
        "nul\u{0}bell\u{7}del\u{7F}", "\u{202E}evil\u{202C}", "'single' `back`", "\u{FFFE}\u{FFFF}",
    ]

    @Test("a hostile value stays one attribute value and one text, byte for byte as typed", arguments: hostile)
    func hostileValues(value: String) throws {
        let html = HTMLNode.div(.class("x"), .title(value), .attribute(named: "data-v", value: value), .text(value)).render()
        // Parse it back as XML: exactly the element and attributes of the template, the text as given.
        let document = try XMLDocument(xmlString: html, options: [])
        let root = try #require(document.rootElement())
        let names = (root.attributes ?? []).compactMap { $0.name }
        #expect(root.name == "div" && root.childCount == 1 && names == ["class", "title", "data-v"])
        let expected = String(String.UnicodeScalarView(value.unicodeScalars.map { Self.allowed($0) ? $0 : "\u{FFFD}" }))
        #expect(root.attribute(forName: "title")?.stringValue == expected)
        #expect(root.stringValue == expected)
    }

    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return !((value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || value == 0x7F || value == 0xFFFE || value == 0xFFFF)
    }

    @Test("entities typed as text are text: &amp; shows as &amp;")
    func entitiesAreText() {
        #expect(HTMLNode.p(.text("&amp; <")).render() == "<p>&amp;amp; &lt;</p>")
        #expect(HTMLNode.a(.href("/a?b=1&c=\"2\"")).render() == #"<a href="/a?b=1&amp;c=&quot;2&quot;"></a>"#)
    }

    @Test("attributes go into the start tag wherever they stand, a later one of a name replaces the first; empty ones are left out")
    func attributes() {
        let node = HTMLNode.div(.class("a"), .text("x"), .if(true, .id("i")), .class("b"), .attribute(named: "title", value: ""), .value(""))
        #expect(node.render() == #"<div class="b" id="i" value="">x</div>"#)
        #expect(HTMLNode.input(.type(.hidden), .name("n")).render() == #"<input type="hidden" name="n"/>"#)
        #expect(
            HTML(.attribute(named: "lang", value: "zh-CN"), .body(.p(.text("好")))).render()
                == #"<!DOCTYPE html><html lang="zh-CN"><body><p>好</p></body></html>"#)
    }

    @Test("raw markup is written as it is (the charts', which escape their own text)")
    func raw() {
        #expect(HTMLNode.div(.raw("<svg/>")).render() == "<div><svg/></div>")
    }
}
