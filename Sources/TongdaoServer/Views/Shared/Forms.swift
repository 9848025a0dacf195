import TongdaoHTML
import TongdaoXLSX

/// Form building blocks: every field has a label, keeps what was typed, and shows its error right
/// under it (linked with `aria-describedby`, marked `aria-invalid`).
enum Forms {
    /// One field's state on a page: the value to show and the error to show next to it.
    struct Field {
        var name: String
        var label: String
        var value: String = ""
        var error: String?
        var hint: String?
        var required = false
        /// What is stored now, when someone else changed the record since the form was opened and
        /// it differs from what was typed (a list as its codes joined with commas).
        var saved: String?
        /// The element's id, where the name is not one (a row of a list: every row has the name).
        var id: String?
    }

    /// An option of a `<select>`.
    struct Option {
        var value: String
        var label: String
    }

    static func csrf(_ token: String) -> Node<HTML.FormContext> {
        .input(.type(.hidden), .name(CSRF.fieldName), .value(token))
    }

    static func text(_ field: Field, type: String = "text", maxLength: Int? = nil, autocomplete: String? = nil) -> Node<HTML.FormContext> {
        var attributes = [attribute("type", type), attribute("name", field.name), attribute("id", id(field))]
        if type != "password" { attributes.append(attribute("value", field.value)) }
        if field.required { attributes.append(attribute("required", "required")) }
        if let maxLength { attributes.append(attribute("maxlength", String(maxLength))) }
        if let autocomplete { attributes.append(attribute("autocomplete", autocomplete)) }
        attributes += described(field)
        return wrapper(field, control: .selfClosedElement(named: "input", attributes: attributes), saved: { $0 })
    }

    static func select(_ field: Field, options: [Option], blank: String? = nil) -> Node<HTML.FormContext> {
        var nodes: [Node<HTML.SelectContext>] = [
            .attribute(named: "name", value: field.name), .attribute(named: "id", value: id(field)),
        ]
        nodes += described(field).map { .attribute(named: $0.name, value: $0.value) }
        if let blank { nodes.append(option(Option(value: "", label: blank), selected: field.value.isEmpty)) }
        nodes += options.map { option($0, selected: $0.value == field.value) }
        return wrapper(
            field, control: .element(named: "select", nodes: nodes), saved: { code in options.first { $0.value == code }?.label ?? code })
    }

    private static func option(_ option: Option, selected: Bool) -> Node<HTML.SelectContext> {
        .element(
            named: "option",
            nodes: [
                .attribute(named: "value", value: option.value, ignoreIfValueIsEmpty: false),
                .if(selected, .attribute(named: "selected", value: "selected")),
                .text(option.label),
            ])
    }

    static func checkbox(_ field: Field) -> Node<HTML.FormContext> {
        var attributes = [attribute("type", "checkbox"), attribute("name", field.name), attribute("id", id(field)), attribute("value", "true")]
        if field.value == "true" { attributes.append(attribute("checked", "checked")) }
        return .div(
            .class(field.saved == nil ? "field field-check" : "field field-check has-saved"),
            .selfClosedElement(named: "input", attributes: attributes),
            .label(.for(id(field)), .text(field.label)),
            savedNote(field) { $0 == "true" ? "是" : "否" }
        )
    }

    private static func attribute(_ name: String, _ value: String) -> Attribute<HTML.InputContext> {
        HTMLAttribute(name: name, value: value)
    }

    /// A group of checkboxes sharing one name (`name[]`), for a field with several values.
    static func checkboxes(_ field: Field, options: [Option], selected: Set<String>) -> Node<HTML.FormContext> {
        .element(
            named: "fieldset",
            nodes: [
                .class(
                    field.error == nil
                        ? (field.saved == nil ? "field checkbox-group" : "field checkbox-group has-saved") : "field checkbox-group has-error"),
                .element(named: "legend", text: field.label),
                .forEach(options) { option in
                    var attributes = [
                        attribute("type", "checkbox"), attribute("name", "\(field.name)[]"), attribute("value", option.value),
                        attribute("id", "\(id(field))-\(option.value)"),
                    ]
                    if selected.contains(option.value) { attributes.append(attribute("checked", "checked")) }
                    return .span(
                        .class("check-option"), .selfClosedElement(named: "input", attributes: attributes),
                        .label(.for("\(id(field))-\(option.value)"), .text(option.label)))
                },
                .unwrap(field.error) { .p(.class("field-error"), .id("\(id(field))-error"), .text($0)) },
                savedNote(field) { codes in
                    codes.split(separator: ",").map { code in options.first { $0.value == code }?.label ?? String(code) }.joined(separator: "、")
                },
            ])
    }

    static func textarea(_ field: Field, maxLength: Int) -> Node<HTML.FormContext> {
        wrapper(
            field,
            control: .element(
                named: "textarea",
                nodes: [
                    .attribute(named: "name", value: field.name), .attribute(named: "id", value: id(field)), .attribute(named: "rows", value: "3"),
                    .attribute(named: "maxlength", value: String(maxLength)), .text(field.value),
                ]), saved: { $0 })
    }

    /// A summary above a form that failed, so a screen reader hears it first.
    static func errorSummary(_ fields: [Field], message: String? = nil) -> Node<HTML.BodyContext> {
        let failed = fields.filter { $0.error != nil }
        guard !failed.isEmpty || message != nil else { return .empty }
        return .div(
            .class("form-errors"), .attribute(named: "role", value: "alert"),
            .p(.text(message ?? "请更正以下 \(failed.count) 处错误后重新提交：")),
            .if(!failed.isEmpty, .ul(.forEach(failed) { field in .li(.a(.href("#\(id(field))"), .text("\(field.label)：\(field.error ?? "")"))) }))
        )
    }

    private static func id(_ field: Field) -> String { field.id ?? "field-\(field.name)" }

    private static func described(_ field: Field) -> [Attribute<HTML.InputContext>] {
        var ids: [String] = []
        if field.hint != nil { ids.append("\(id(field))-hint") }
        if field.error != nil { ids.append("\(id(field))-error") }
        if field.saved != nil { ids.append("\(id(field))-saved") }
        var attributes: [Attribute<HTML.InputContext>] = []
        if !ids.isEmpty { attributes.append(attribute("aria-describedby", ids.joined(separator: " "))) }
        if field.error != nil { attributes.append(attribute("aria-invalid", "true")) }
        return attributes
    }

    private static func wrapper(_ field: Field, control: Node<HTML.FormContext>, saved display: (String) -> String) -> Node<HTML.FormContext> {
        .div(
            .class(field.error != nil ? "field has-error" : field.saved != nil ? "field has-saved" : "field"),
            .label(.for(id(field)), .text(field.label), .if(field.required, .span(.class("required"), .text(" *")))),
            control,
            .unwrap(field.hint) { .p(.class("field-hint small muted"), .id("\(id(field))-hint"), .text($0)) },
            .unwrap(field.error) { .p(.class("field-error"), .id("\(id(field))-error"), .text($0)) },
            savedNote(field, display)
        )
    }

    /// What another person saved in a field since the form was opened, under it, as it reads.
    private static func savedNote(_ field: Field, _ display: (String) -> String) -> Node<HTML.FormContext> {
        .unwrap(field.saved) { saved in
            let shown = saved.isEmpty ? "（空）" : display(saved)
            return .p(.class("field-saved"), .id("\(id(field))-saved"), .text("现已保存为：\(shown)"))
        }
    }

    /// The hidden field carrying the version of the record a form was opened on, which the change
    /// names (a stale one is answered with the form again, and what was saved since).
    static func version(_ version: Int?) -> Node<HTML.FormContext> {
        .unwrap(version) { .input(.type(.hidden), .name("version"), .value(String($0))) }
    }

    /// A sheet's file field (XLSX or CSV) with its error under it, and the progress bar the upload
    /// script fills (`data-progress` on the form names it).
    static func sheetFile(label: String, error: String?) -> Node<HTML.FormContext> {
        .group(
            .div(
                .class(error == nil ? "field" : "field has-error"),
                .label(.for("field-file"), .text(label)),
                .input(
                    .type(.file), .name("file"), .id("field-file"), .attribute(named: "accept", value: ".xlsx,.csv,text/csv,\(XLSX.mediaType)"),
                    .required(true)),
                .unwrap(error) { .p(.class("field-error"), .id("field-file-error"), .text($0)) }
            ),
            .element(
                named: "progress",
                nodes: [
                    .id("upload-progress"), .class("upload-progress"), .attribute(named: "max", value: "100"),
                    .attribute(named: "value", value: "0"), .attribute(named: "hidden", value: "hidden"),
                ])
        )
    }
}
