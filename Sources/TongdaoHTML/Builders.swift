/// The builders the pages are written with: elements, attributes, and the control flow between
/// them. Text given to any of them is escaped when the page is rendered (`HTMLEscaping`).
extension HTMLNode {
    // MARK: Structure

    public static func element(named name: String, nodes: [HTMLNode]) -> HTMLNode {
        HTMLNode(.element(name: name, children: nodes, selfClosing: false))
    }

    public static func element(named name: String, text: String) -> HTMLNode {
        element(named: name, nodes: [.text(text)])
    }

    public static func selfClosedElement(named name: String, attributes: [HTMLAttribute]) -> HTMLNode {
        HTMLNode(.element(name: name, children: attributes.map { HTMLNode(.attribute($0)) }, selfClosing: true))
    }

    public static func attribute(named name: String, value: String, ignoreIfValueIsEmpty: Bool = true) -> HTMLNode {
        HTMLNode(.attribute(HTMLAttribute(name: name, value: value, ignoreIfValueIsEmpty: ignoreIfValueIsEmpty)))
    }

    public static func text(_ text: String) -> HTMLNode { HTMLNode(.text(text)) }

    /// Markup made by the platform (an SVG chart drawn by TongdaoCharts, which escapes its own text).
    public static func raw(_ markup: String) -> HTMLNode { HTMLNode(.raw(markup)) }

    public static func group(_ nodes: HTMLNode...) -> HTMLNode { HTMLNode(.group(nodes)) }
    public static func group(_ nodes: [HTMLNode]) -> HTMLNode { HTMLNode(.group(nodes)) }
    public static var empty: HTMLNode { HTMLNode(.group([])) }

    // MARK: Control flow

    public static func `if`(_ condition: Bool, _ node: HTMLNode, else otherwise: HTMLNode = .empty) -> HTMLNode {
        condition ? node : otherwise
    }

    public static func unwrap<T>(_ value: T?, _ transform: (T) -> HTMLNode, else otherwise: HTMLNode = .empty) -> HTMLNode {
        value.map(transform) ?? otherwise
    }

    public static func forEach<S: Sequence>(_ sequence: S, _ transform: (S.Element) -> HTMLNode) -> HTMLNode {
        HTMLNode(.group(sequence.map(transform)))
    }

    // MARK: Elements

    private static func make(_ name: String, _ nodes: [HTMLNode]) -> HTMLNode { element(named: name, nodes: nodes) }

    public static func head(_ nodes: HTMLNode...) -> HTMLNode { make("head", nodes) }
    public static func body(_ nodes: HTMLNode...) -> HTMLNode { make("body", nodes) }
    public static func header(_ nodes: HTMLNode...) -> HTMLNode { make("header", nodes) }
    public static func nav(_ nodes: HTMLNode...) -> HTMLNode { make("nav", nodes) }
    public static func main(_ nodes: HTMLNode...) -> HTMLNode { make("main", nodes) }
    public static func footer(_ nodes: HTMLNode...) -> HTMLNode { make("footer", nodes) }
    public static func section(_ nodes: HTMLNode...) -> HTMLNode { make("section", nodes) }
    public static func div(_ nodes: HTMLNode...) -> HTMLNode { make("div", nodes) }
    public static func span(_ nodes: HTMLNode...) -> HTMLNode { make("span", nodes) }
    public static func p(_ nodes: HTMLNode...) -> HTMLNode { make("p", nodes) }
    public static func h1(_ nodes: HTMLNode...) -> HTMLNode { make("h1", nodes) }
    public static func h2(_ nodes: HTMLNode...) -> HTMLNode { make("h2", nodes) }
    public static func h3(_ nodes: HTMLNode...) -> HTMLNode { make("h3", nodes) }
    public static func a(_ nodes: HTMLNode...) -> HTMLNode { make("a", nodes) }
    public static func strong(_ nodes: HTMLNode...) -> HTMLNode { make("strong", nodes) }
    public static func pre(_ nodes: HTMLNode...) -> HTMLNode { make("pre", nodes) }
    /// A code shown as a code (an id, a command, a stored value): pages mark them so.
    public static func code(_ nodes: HTMLNode...) -> HTMLNode { make("code", nodes) }
    public static func ul(_ nodes: HTMLNode...) -> HTMLNode { make("ul", nodes) }
    public static func ol(_ nodes: HTMLNode...) -> HTMLNode { make("ol", nodes) }
    public static func li(_ nodes: HTMLNode...) -> HTMLNode { make("li", nodes) }
    public static func dl(_ nodes: HTMLNode...) -> HTMLNode { make("dl", nodes) }
    public static func dt(_ nodes: HTMLNode...) -> HTMLNode { make("dt", nodes) }
    public static func dd(_ nodes: HTMLNode...) -> HTMLNode { make("dd", nodes) }
    public static func table(_ nodes: HTMLNode...) -> HTMLNode { make("table", nodes) }
    public static func caption(_ nodes: HTMLNode...) -> HTMLNode { make("caption", nodes) }
    public static func thead(_ nodes: HTMLNode...) -> HTMLNode { make("thead", nodes) }
    public static func tbody(_ nodes: HTMLNode...) -> HTMLNode { make("tbody", nodes) }
    public static func tr(_ nodes: HTMLNode...) -> HTMLNode { make("tr", nodes) }
    public static func th(_ nodes: HTMLNode...) -> HTMLNode { make("th", nodes) }
    public static func td(_ nodes: HTMLNode...) -> HTMLNode { make("td", nodes) }
    public static func form(_ nodes: HTMLNode...) -> HTMLNode { make("form", nodes) }
    public static func label(_ nodes: HTMLNode...) -> HTMLNode { make("label", nodes) }
    public static func button(_ nodes: HTMLNode...) -> HTMLNode { make("button", nodes) }
    public static func script(_ nodes: HTMLNode...) -> HTMLNode { make("script", nodes) }

    /// A cell or heading holding only text.
    public static func td(_ text: String) -> HTMLNode { make("td", [.text(text)]) }
    public static func th(_ text: String) -> HTMLNode { make("th", [.text(text)]) }
    public static func dt(_ text: String) -> HTMLNode { make("dt", [.text(text)]) }
    public static func dd(_ text: String) -> HTMLNode { make("dd", [.text(text)]) }

    public static func input(_ nodes: HTMLNode...) -> HTMLNode { HTMLNode(.element(name: "input", children: nodes, selfClosing: true)) }
    public static func meta(_ nodes: HTMLNode...) -> HTMLNode { HTMLNode(.element(name: "meta", children: nodes, selfClosing: true)) }
    public static func link(_ nodes: HTMLNode...) -> HTMLNode { HTMLNode(.element(name: "link", children: nodes, selfClosing: true)) }

    /// `<link rel="stylesheet" href="…" type="text/css"/>`.
    public static func stylesheet(_ path: String) -> HTMLNode {
        link(.attribute(named: "rel", value: "stylesheet"), .href(path), .attribute(named: "type", value: "text/css"))
    }

    // MARK: Attributes

    public static func `class`(_ value: String) -> HTMLNode { attribute(named: "class", value: value) }
    public static func id(_ value: String) -> HTMLNode { attribute(named: "id", value: value) }
    public static func href(_ value: String) -> HTMLNode { attribute(named: "href", value: value) }
    public static func src(_ value: String) -> HTMLNode { attribute(named: "src", value: value) }
    public static func action(_ value: String) -> HTMLNode { attribute(named: "action", value: value) }
    public static func name(_ value: String) -> HTMLNode { attribute(named: "name", value: value) }
    public static func value(_ value: String) -> HTMLNode { attribute(named: "value", value: value, ignoreIfValueIsEmpty: false) }
    /// The `title` attribute (a tooltip); the page's `<title>` is `element(named: "title", text:)`.
    public static func title(_ value: String) -> HTMLNode { attribute(named: "title", value: value) }
    public static func `for`(_ value: String) -> HTMLNode { attribute(named: "for", value: value) }
    public static func content(_ value: String) -> HTMLNode { attribute(named: "content", value: value) }
    public static func data(named name: String, value: String) -> HTMLNode { attribute(named: "data-" + name, value: value) }
    public static func required(_ isRequired: Bool) -> HTMLNode {
        isRequired ? attribute(named: "required", value: "required") : .empty
    }

    public enum Method: String, Sendable { case get, post }
    public static func method(_ method: Method) -> HTMLNode { attribute(named: "method", value: method.rawValue) }

    public enum InputType: String, Sendable { case text, hidden, file, submit, button, password, checkbox }
    public static func type(_ type: InputType) -> HTMLNode { attribute(named: "type", value: type.rawValue) }

    public enum Encoding: String, Sendable { case multipartData = "multipart/form-data" }
    public static func enctype(_ encoding: Encoding) -> HTMLNode { attribute(named: "enctype", value: encoding.rawValue) }

    public enum Relationship: String, Sendable { case icon, stylesheet }
    public static func rel(_ relationship: Relationship) -> HTMLNode { attribute(named: "rel", value: relationship.rawValue) }

    public enum Charset: String, Sendable { case utf8 = "UTF-8" }
    public static func charset(_ charset: Charset) -> HTMLNode { attribute(named: "charset", value: charset.rawValue) }
}
