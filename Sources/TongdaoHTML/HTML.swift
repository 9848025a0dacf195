/// HTML as a tree of nodes, rendered in one place where every text and every attribute value is
/// escaped, whatever it holds: a name typed with a quote, `<`, `&`, `</script>` or a control
/// character stays text and never becomes markup. (Plot, which the pages used before, wrote
/// attribute values as they came and kept `&…;` in text as entities.)
///
/// The builders are named as HTML names them (`.div`, `.href`, `.forEach`, …). The context a node
/// belongs in (a form, a list, a select) is written in the views' signatures, `Node<HTML.FormContext>`,
/// and is documentation only: every node is an `HTMLNode`.
public struct HTMLNode: Sendable {
    indirect enum Kind: Sendable {
        case element(name: String, children: [HTMLNode], selfClosing: Bool)
        case attribute(HTMLAttribute)
        case text(String)
        /// Markup made by the platform itself (an SVG chart), written as it is.
        case raw(String)
        case group([HTMLNode])
    }

    let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    /// The node as HTML.
    public func render() -> String {
        var output = ""
        render(into: &output)
        return output
    }

    func render(into output: inout String) {
        switch kind {
        case .element(let name, let children, let selfClosing):
            output += "<" + name
            var attributes: [HTMLAttribute] = []
            var content: [HTMLNode] = []
            Self.collect(children, attributes: &attributes, content: &content)
            for attribute in attributes { output += attribute.rendered }
            if selfClosing {
                output += "/>"
                return
            }
            output += ">"
            for child in content { child.render(into: &output) }
            output += "</" + name + ">"
        case .attribute:
            // An attribute outside an element has nowhere to go.
            break
        case .text(let text):
            output += HTMLEscaping.text(text)
        case .raw(let markup):
            output += markup
        case .group(let nodes):
            for node in nodes { node.render(into: &output) }
        }
    }

    /// An element's attributes for its start tag (groups looked into; a second attribute of a name
    /// replaces the first where it stood), everything else its content.
    private static func collect(_ nodes: [HTMLNode], attributes: inout [HTMLAttribute], content: inout [HTMLNode]) {
        for node in nodes {
            switch node.kind {
            case .attribute(let attribute):
                if let index = attributes.firstIndex(where: { $0.name == attribute.name }) {
                    attributes[index] = attribute
                } else {
                    attributes.append(attribute)
                }
            case .group(let members) where members.contains(where: \.isAttribute):
                collect(members, attributes: &attributes, content: &content)
            default:
                content.append(node)
            }
        }
    }

    var isAttribute: Bool {
        if case .attribute = kind { true } else { false }
    }
}

/// One attribute of an element.
public struct HTMLAttribute: Sendable {
    public var name: String
    public var value: String
    /// An empty value leaves the attribute out (`class=""` is noise); some attributes keep it (`value=""`).
    public var ignoreIfValueIsEmpty: Bool

    public init(name: String, value: String, ignoreIfValueIsEmpty: Bool = true) {
        self.name = name
        self.value = value
        self.ignoreIfValueIsEmpty = ignoreIfValueIsEmpty
    }

    var rendered: String {
        if value.isEmpty && ignoreIfValueIsEmpty { return "" }
        return " " + name + "=\"" + HTMLEscaping.attribute(value) + "\""
    }
}

/// A node, named by the context it belongs in (documentation only).
public typealias Node<Context> = HTMLNode
/// An attribute, named by the context it belongs in (documentation only).
public typealias Attribute<Context> = HTMLAttribute

/// A whole page: `<!DOCTYPE html>` and its `<html>` element.
public struct HTML: Sendable {
    /// The contexts nodes belong in, for the views' signatures.
    public enum DocumentContext {}
    public enum HeadContext {}
    public enum BodyContext {}
    public enum FormContext {}
    public enum ListContext {}
    public enum SelectContext {}
    public enum InputContext {}
    public enum TableContext {}

    let nodes: [HTMLNode]

    public init(_ nodes: HTMLNode...) {
        self.nodes = nodes
    }

    public func render() -> String {
        "<!DOCTYPE html>" + HTMLNode(.element(name: "html", children: nodes, selfClosing: false)).render()
    }
}

/// What text and attribute values become in HTML: `&`, `<`, `>` (and in attributes `"` and `'`) as
/// character references, and the characters HTML does not allow (NUL and the other C0 controls but
/// tab and line breaks, U+FFFE, U+FFFF, lone surrogates cannot occur in a Swift string) as U+FFFD.
public enum HTMLEscaping {
    public static func text(_ text: String) -> String {
        escape(text, quotes: false)
    }

    public static func attribute(_ value: String) -> String {
        escape(value, quotes: true)
    }

    private static func escape(_ input: String, quotes: Bool) -> String {
        // Most values hold nothing to escape: return them as they are.
        if !input.unicodeScalars.contains(where: { needsWork($0, quotes: quotes) }) { return input }
        var output = ""
        output.reserveCapacity(input.utf8.count + 16)
        for scalar in input.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"" where quotes: output += "&quot;"
            case "'" where quotes: output += "&#39;"
            default:
                if isForbidden(scalar) {
                    output.unicodeScalars.append("\u{FFFD}")
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    private static func needsWork(_ scalar: Unicode.Scalar, quotes: Bool) -> Bool {
        switch scalar {
        case "&", "<", ">": true
        case "\"", "'": quotes
        default: isForbidden(scalar)
        }
    }

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || value == 0x7F || value == 0xFFFE || value == 0xFFFF
    }
}
