import Foundation
import TongdaoCore
import TongdaoHTML
import TongdaoUseCases

/// The inspector pool's pages: the list, one inspector, the form that registers or changes one.
enum InspectorPages {
    // MARK: List

    struct ListModel {
        var items: [InspectorRecord]
        var summary: InspectorPoolSummary
        var category: String
        var specialty: String
        var fullTime: String
        var rank: String
        var q: String
        var nextQuery: String?
        var canManage: Bool
        var today: CivilDate
    }

    static func list(_ model: ListModel, viewer: Viewer) -> String {
        let counts = InspectorCategory.allCases.map { category in
            let count = model.summary.byCategory[category] ?? (0, 0)
            return "\(category.label) \(count.all) 人（专职 \(count.fullTime) 人）"
        }
        return Layout.render(
            title: "检查员库",
            section: .inspections,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .div(
                        .class("panel-head"),
                        .h1(.text("检查员库")),
                        .if(model.canManage, .a(.class("button"), .href(SiteURL.inspectorNew.path), .text("登记检查员")))
                    ),
                    .if(
                        model.canManage,
                        .p(
                            .class("small"), .text("导出检查员库（含本年度培训学时和履职情况）："),
                            .a(.href(SiteURL.inspectorsExport(format: "xlsx").path), .text("XLSX")), .text(" · "),
                            .a(.href(SiteURL.inspectorsExport(format: "csv").path), .text("CSV")), .text(" · "),
                            .a(.href(SiteURL.inspectorSheet.path), .text("从表格导入")))),
                    .p(.text("在库检查员 \(model.summary.total) 人：\(counts.joined(separator: "；"))。")),
                    .form(
                        .class("filters"), .method(.get), .action(SiteURL.inspectors(query: nil).path),
                        Forms.text(.init(name: "q", label: "姓名", value: model.q), maxLength: 40),
                        Forms.select(
                            .init(name: "category", label: "类别", value: model.category), options: options(InspectorCategory.self), blank: "全部"),
                        Forms.select(
                            .init(name: "specialty", label: "专业", value: model.specialty), options: options(InspectionSpecialty.self),
                            blank: "全部"),
                        Forms.select(
                            .init(name: "fullTime", label: "专职或兼职", value: model.fullTime),
                            options: [.init(value: "true", label: "专职"), .init(value: "false", label: "兼职")], blank: "全部"),
                        Forms.select(.init(name: "rank", label: "组长或组员", value: model.rank), options: options(InspectorRank.self), blank: "全部"),
                        .div(.class("form-actions"), .button(.class("button secondary"), .type(.submit), .text("筛选")))
                    )
                ),
                .section(
                    .class("panel"),
                    model.items.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的检查员。"))
                        : .table(
                            .class("data-table"),
                            .thead(
                                .tr(.th("姓名"), .th("类别"), .th("检查专业"), .th("专职或兼职"), .th("组长或组员"), .th("年度可用天数"), .th("本年度培训学时"))),
                            .tbody(
                                .forEach(model.items) { item in
                                    let profile = item.profile
                                    return .tr(
                                        .td(.a(.href(SiteURL.inspector(id: item.id.uuidString).path), .text(profile.name))),
                                        .td(.text(labels(profile.categories))),
                                        .td(.text(labels(profile.specialties))),
                                        .td(.text(profile.fullTime ? "专职" : "兼职")),
                                        .td(.text(profile.rank.label)),
                                        .td(.class("number"), .text(String(profile.capacityDays))),
                                        .td(.class("number"), .text(hours(profile.trainingTenths(in: model.today.year))))
                                    )
                                })
                        ),
                    .unwrap(model.nextQuery) { .p(.class("pager"), .a(.href(SiteURL.inspectors(query: $0).path), .text("下一页 →"))) }
                )
            )
        )
    }

    static func options<T: LabelledCode>(_: T.Type) -> [Forms.Option] {
        T.allCases.map { .init(value: $0.rawValue, label: $0.label) }
    }

    static func labels<T: LabelledCode>(_ codes: [T]) -> String {
        codes.isEmpty ? "—" : codes.map(\.label).joined(separator: "、")
    }

    static func hours(_ tenths: Int) -> String {
        InspectorTraining(on: CivilDate(dayNumber: 0), course: "", tenthsOfHours: tenths).hoursText
    }

    // MARK: One inspector

    static func show(
        _ item: InspectorRecord, canManage: Bool, performance: [InspectorPerformance]? = nil, today: CivilDate, viewer: Viewer
    ) -> String {
        let profile = item.profile
        let facts: [(String, String)] = [
            ("检查员类别", labels(profile.categories)), ("检查专业", labels(profile.specialties)),
            ("专职或兼职", profile.fullTime ? "专职" : "兼职"), ("组长或组员", profile.rank.label),
            ("年度可用检查天数", "\(profile.capacityDays) 天"), ("状态", profile.active ? "在库" : "已退出检查员库"),
            ("关联账号", item.accountName.map { "\($0)的账号" } ?? "未关联"),
            ("本年度培训学时", "\(hours(profile.trainingTenths(in: today.year))) 学时"),
        ]
        return Layout.render(
            title: profile.name,
            section: .inspections,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .p(.class("small"), .a(.href(SiteURL.inspectors(query: nil).path), .text("← 检查员库"))),
                    .div(
                        .class("panel-head"),
                        .h1(.text(profile.name)),
                        .if(canManage, .a(.class("button"), .href(SiteURL.inspectorEdit(id: item.id.uuidString).path), .text("编辑")))
                    ),
                    .dl(.class("facts"), .forEach(facts) { fact in .group(.dt(.text(fact.0)), .dd(.text(fact.1))) })
                ),
                .unwrap(performance) { performanceSection($0) },
                item.tiesShown
                    ? .group(
                        .section(
                            .class("panel"),
                            .h2(.text("任职经历")),
                            .p(.class("muted small"), .text("现任单位和离职未满回避年限的单位不得安排其检查；仅检查员本人和检查员库管理人员可见。")),
                            profile.employments.isEmpty
                                ? .p(.class("muted"), .text("没有登记任职经历。"))
                                : .table(
                                    .class("data-table"),
                                    .thead(.tr(.th("任职单位"), .th("统一社会信用代码"), .th("起始日期"), .th("结束日期"))),
                                    .tbody(
                                        .forEach(profile.employments) { employment in
                                            .tr(
                                                .td(.text(employment.employer.name)), .td(.class("mono"), .text(employment.employer.uscc ?? "—")),
                                                .td(.text(employment.from.description)), .td(.text(employment.to?.description ?? "至今")))
                                        }))
                        ),
                        .section(
                            .class("panel"),
                            .h2(.text("申报的利益关系")),
                            profile.relationships.isEmpty
                                ? .p(.class("muted"), .text("没有申报利益关系。"))
                                : .table(
                                    .class("data-table"),
                                    .thead(.tr(.th("关联单位"), .th("统一社会信用代码"), .th("关系类型"), .th("申报日期"), .th("说明"))),
                                    .tbody(
                                        .forEach(profile.relationships) { relationship in
                                            .tr(
                                                .td(.text(relationship.party.name)), .td(.class("mono"), .text(relationship.party.uscc ?? "—")),
                                                .td(.text(relationship.kind.label)), .td(.text(relationship.declaredOn.description)),
                                                .td(.text(relationship.note ?? "—")))
                                        }))
                        ))
                    : .empty,
                .section(
                    .class("panel"),
                    .h2(.text("培训记录")),
                    profile.trainings.isEmpty
                        ? .p(.class("muted"), .text("没有培训记录。"))
                        : .table(
                            .class("data-table"),
                            .thead(.tr(.th("培训日期"), .th("课程"), .th("学时"))),
                            .tbody(
                                .forEach(profile.trainings.reversed()) { training in
                                    .tr(
                                        .td(.text(training.on.description)), .td(.text(training.course)),
                                        .td(.class("number"), .text(training.hoursText)))
                                }))
                )
            )
        )
    }

    // MARK: Form

    /// One row of a list on the form: its fields by member (`from`), as typed, with their errors. Each
    /// field is named `<list><Member>[]` (`employmentFrom[]`), so the rows come back in order.
    struct Row {
        var list: String
        var members: [(key: String, field: Forms.Field)]

        init(_ list: String, _ members: [(key: String, label: String, value: String)]) {
            self.list = list
            self.members = members.map { member in
                (
                    member.key,
                    Forms.Field(
                        name: "\(Row.prefix(list))\(member.key.prefix(1).uppercased() + member.key.dropFirst())[]", label: member.label,
                        value: member.value)
                )
            }
        }

        /// `employments` → `employment`: the fields' names begin with it.
        static func prefix(_ list: String) -> String { String(list.dropLast()) }

        subscript(_ key: String) -> Forms.Field? {
            get { members.first { $0.key == key }?.field }
            set {
                guard let newValue, let index = members.firstIndex(where: { $0.key == key }) else { return }
                members[index].field = newValue
            }
        }

        var fields: [Forms.Field] { members.map(\.field) }

        /// The fields with their labels and ids for row `index`.
        func numbered(_ index: Int) -> [Forms.Field] {
            members.map { member in
                var field = member.field
                field.label = "\(field.label)（第 \(index + 1) 条）"
                field.id = "field-\(list)-\(index)-\(member.key)"
                return field
            }
        }
    }

    /// The form's fields as typed, with their errors.
    struct FormModel {
        var id: String?
        var name = Forms.Field(name: "name", label: "姓名", required: true)
        var username = Forms.Field(name: "username", label: "关联账号（用户名）", hint: "检查员本人登录平台的用户名；没有账号的可不填")
        var categories = Forms.Field(name: "categories", label: "检查员类别", required: true)
        var specialties = Forms.Field(name: "specialties", label: "检查专业", required: true)
        var fullTime = Forms.Field(name: "fullTime", label: "专职检查员")
        var rank = Forms.Field(name: "rank", label: "组长或组员", value: InspectorRank.member.rawValue, required: true)
        var capacityDays = Forms.Field(name: "capacityDays", label: "年度可用检查天数", value: "40", required: true)
        var active = Forms.Field(name: "active", label: "在库（退出检查员库的取消勾选）", value: "true")
        var employments: [Row] = []
        var relationships: [Row] = []
        var trainings: [Row] = []
        var version: Int?
        var message: String?

        var fields: [Forms.Field] {
            [name, username, categories, specialties, fullTime, rank, capacityDays, active]
                + [employments, relationships, trainings].flatMap { rows in rows.enumerated().flatMap { $1.numbered($0) } }
        }

        init(id: String? = nil) {
            self.id = id
        }

        init(_ item: InspectorRecord) {
            self.init(id: item.id.uuidString)
            let profile = item.profile
            version = item.version
            name.value = profile.name
            username.value = item.username ?? ""
            categories.value = profile.categories.map(\.rawValue).joined(separator: ",")
            specialties.value = profile.specialties.map(\.rawValue).joined(separator: ",")
            fullTime.value = profile.fullTime ? "true" : ""
            rank.value = profile.rank.rawValue
            capacityDays.value = String(profile.capacityDays)
            active.value = profile.active ? "true" : ""
            employments = profile.employments.map {
                Self.employment(
                    employer: $0.employer.name, uscc: $0.employer.uscc ?? "", from: $0.from.description, to: $0.to?.description ?? "")
            }
            relationships = profile.relationships.map {
                Self.relationship(
                    party: $0.party.name, uscc: $0.party.uscc ?? "", kind: $0.kind.rawValue, declaredOn: $0.declaredOn.description,
                    note: $0.note ?? "")
            }
            trainings = profile.trainings.map { Self.training(on: $0.on.description, course: $0.course, hours: $0.hoursText) }
        }

        static func employment(employer: String = "", uscc: String = "", from: String = "", to: String = "") -> Row {
            Row(
                "employments",
                [
                    ("employer", "任职单位", employer), ("uscc", "统一社会信用代码", uscc), ("from", "起始日期", from),
                    ("to", "结束日期（在职不填）", to),
                ])
        }

        static func relationship(party: String = "", uscc: String = "", kind: String = "", declaredOn: String = "", note: String = "") -> Row {
            Row(
                "relationships",
                [
                    ("party", "关联单位", party), ("uscc", "统一社会信用代码", uscc), ("kind", "关系类型", kind), ("declaredOn", "申报日期", declaredOn),
                    ("note", "说明", note),
                ])
        }

        static func training(on: String = "", course: String = "", hours: String = "") -> Row {
            Row("trainings", [("on", "培训日期", on), ("course", "课程", course), ("hours", "学时", hours)])
        }

        /// Spare rows to type new entries into: two for employments and ties, three for trainings.
        mutating func addSpareRows() {
            employments += [Self.employment(), Self.employment()]
            relationships += [Self.relationship(), Self.relationship()]
            trainings += [Self.training(), Self.training(), Self.training()]
        }

        /// Puts each message next to its field (`employments[1].from` next to the second row's 起始日期).
        mutating func attach(_ messages: [String: String]) {
            for (field, message) in messages.sorted(by: { $0.key < $1.key }) { attach(message, to: field) }
        }

        mutating func attach(_ message: String, to field: String) {
            switch field {
            case "name": name.error = message
            case "username": username.error = message
            case "categories": categories.error = message
            case "specialties": specialties.error = message
            case "rank": rank.error = message
            case "capacityDays": capacityDays.error = message
            default:
                guard let (list, index, member) = Self.rowField(field) else { return self.message = message }
                switch list {
                case "employments" where employments.indices.contains(index): employments[index][member]?.error = message
                case "relationships" where relationships.indices.contains(index): relationships[index][member]?.error = message
                case "trainings" where trainings.indices.contains(index): trainings[index][member]?.error = message
                default: self.message = message
                }
            }
        }

        /// `employments[1].from` → ("employments", 1, "from").
        static func rowField(_ field: String) -> (String, Int, String)? {
            guard let open = field.firstIndex(of: "["), let close = field.firstIndex(of: "]"), open < close,
                let index = Int(field[field.index(after: open)..<close])
            else { return nil }
            let rest = field[field.index(after: close)...]
            guard rest.hasPrefix(".") else { return nil }
            return (String(field[..<open]), index, String(rest.dropFirst()))
        }

        /// The form again after someone else saved the inspector since it was opened: what was typed
        /// is kept, each plain field saved differently says so, the form is now on that version.
        mutating func rebase(on stored: FormModel, message: String) {
            let paths: [WritableKeyPath<FormModel, Forms.Field>] = [
                \.name, \.username, \.categories, \.specialties, \.fullTime, \.rank, \.capacityDays, \.active,
            ]
            for path in paths where self[keyPath: path].value != stored[keyPath: path].value {
                self[keyPath: path].saved = stored[keyPath: path].value
            }
            version = stored.version
            self.message = message
        }
    }

    static func form(_ model: FormModel, viewer: Viewer) -> String {
        let editing = model.id != nil
        let title = editing ? "编辑检查员" : "登记检查员"
        let action = model.id.map { SiteURL.inspector(id: $0).path } ?? SiteURL.inspectors(query: nil).path
        let selectedCategories = Set(model.categories.value.split(separator: ",").map(String.init))
        let selectedSpecialties = Set(model.specialties.value.split(separator: ",").map(String.init))
        return Layout.render(
            title: title,
            section: .inspections,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .h1(.text(title)),
                Forms.errorSummary(model.fields, message: model.message),
                .form(
                    .method(.post), .action(action),
                    Forms.csrf(viewer.csrfToken),
                    Forms.version(model.version),
                    Forms.text(model.name, maxLength: 40),
                    Forms.text(model.username, maxLength: 64, autocomplete: "off"),
                    Forms.checkboxes(model.categories, options: options(InspectorCategory.self), selected: selectedCategories),
                    Forms.checkboxes(model.specialties, options: options(InspectionSpecialty.self), selected: selectedSpecialties),
                    Forms.checkbox(model.fullTime),
                    Forms.select(model.rank, options: options(InspectorRank.self)),
                    Forms.text(model.capacityDays, type: "number", maxLength: 3),
                    Forms.checkbox(model.active),
                    rows("任职经历", hint: "现任单位不填结束日期；填写统一社会信用代码以便准确回避。", model.employments),
                    rows("申报的利益关系", hint: nil, model.relationships) { field in
                        field.name == "relationshipKind[]" ? Forms.select(field, options: options(RelationshipKind.self), blank: "请选择") : nil
                    },
                    rows("培训记录", hint: "学时可填一位小数，如 3.5。", model.trainings),
                    .div(
                        .class("form-actions"),
                        .button(.class("button"), .type(.submit), .text(editing ? "保存" : "登记")),
                        .a(.href(model.id.map { SiteURL.inspector(id: $0).path } ?? SiteURL.inspectors(query: nil).path), .text("取消"))
                    )
                )
            )
        )
    }

    /// A list's rows on the form, each a line of fields (a coded field as a select, by `control`).
    private static func rows(
        _ legend: String, hint: String?, _ rows: [Row], control: (Forms.Field) -> Node<HTML.FormContext>? = { _ in nil }
    ) -> Node<HTML.FormContext> {
        .element(
            named: "fieldset",
            nodes: [
                .class("field-rows"),
                .element(named: "legend", text: legend),
                .unwrap(hint) { .p(.class("field-hint small muted"), .text($0)) },
                .forEach(Array(rows.enumerated())) { index, row in
                    .div(
                        .class("field-row"),
                        .forEach(row.numbered(index)) { field in
                            let isDay = ["from", "to", "declaredOn", "on"].contains { field.id?.hasSuffix("-\($0)") == true }
                            return control(field) ?? Forms.text(field, type: isDay ? "date" : "text", maxLength: 200)
                        })
                },
            ])
    }

    /// The inspector's record by year: inspections closed, led, on time, the ratings.
    private static func performanceSection(_ years: [InspectorPerformance]) -> Node<HTML.BodyContext> {
        .section(
            .class("panel"),
            .h2(.text("年度履职情况")),
            .p(.class("muted small"), .text("按检查结案年度汇总：参加的检查、任组长次数、按时完成次数和组长评分（1–5 分）；仅检查员本人和检查员库管理人员可见。")),
            years.isEmpty
                ? .p(.class("muted"), .text("尚无结案的检查。"))
                : .table(
                    .class("data-table"),
                    .thead(.tr(.th("年度"), .th("参加检查"), .th("任组长"), .th("按时完成"), .th("平均评分"), .th("评分人次"))),
                    .tbody(
                        .forEach(years) { year in
                            .tr(
                                .td(.text("\(year.year) 年")), .td(.text(String(year.inspections))), .td(.text(String(year.led))),
                                .td(.text(String(year.onTime))), .td(.text(year.averageRating.map { String(format: "%.1f", $0) } ?? "—")),
                                .td(.text(String(year.ratings.count))))
                        }))
        )
    }
}
