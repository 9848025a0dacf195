import Foundation
import TongdaoHTML
import TongdaoCore
import TongdaoUseCases

/// User administration (city_admin) and the audit trail (city_admin, city_regulator).
enum AdminPages {
    // MARK: Users

    static func users(_ users: [UserRecord], notice: String?, viewer: Viewer) -> String {
        Layout.render(
            title: "用户管理",
            section: nil,
            viewer: viewer,
            content: .section(
                .class("panel"),
                .div(.class("panel-head"), .h1(.text("用户管理")), .a(.class("button"), .href(SiteURL.userNew.path), .text("新建用户"))),
                .unwrap(notice) { .p(.class("notice"), .attribute(named: "role", value: "status"), .text($0)) },
                .table(
                    .class("data-table"),
                    .thead(.tr(.th("姓名"), .th("用户名"), .th("角色"), .th("数据范围"), .th("状态"), .th("操作"))),
                    .tbody(
                        .forEach(users) { user in
                            .tr(
                                .td(.text(user.displayName.isEmpty ? "—" : user.displayName)),
                                .td(.code(.text(user.username))),
                                .td(.text(user.role.label)),
                                .td(.text(user.scopeLabel.isEmpty ? user.scope.description : user.scopeLabel)),
                                .td(.text(user.disabled ? "已停用" : "正常")),
                                .td(
                                    .class("actions"),
                                    .a(.href(SiteURL.userPassword(username: user.username).path), .text("重置密码")),
                                    .if(
                                        !user.disabled,
                                        .form(
                                            .class("inline-form"), .method(.post), .action(SiteURL.userDisable(username: user.username).path),
                                            Forms.csrf(viewer.csrfToken),
                                            .button(.class("link-button danger"), .type(.submit), .text("停用"))
                                        ))
                                )
                            )
                        })
                )
            )
        )
    }

    struct UserFormModel {
        var username = Forms.Field(name: "username", label: "用户名", hint: "3–64 位小写字母、数字或 . _ -", required: true)
        var displayName = Forms.Field(name: "displayName", label: "姓名", hint: "页面上显示的姓名，不超过 40 个字符")
        var role = Forms.Field(name: "role", label: "角色", required: true)
        var scope = Forms.Field(
            name: "scope", label: "数据范围",
            hint: "city、district:310115、park:zhangjiang、station:xuhui、enterprise:统一社会信用代码、institution:机构编号或 province:JS（长三角省级药监局：JS、ZJ、AH）",
            required: true)
        var password = Forms.Field(name: "password", label: "初始密码", hint: "至少 10 个字符", required: true)

        var fields: [Forms.Field] { [username, displayName, role, scope, password] }
    }

    static func newUser(_ model: UserFormModel, viewer: Viewer) -> String {
        Layout.render(
            title: "新建用户",
            section: nil,
            viewer: viewer,
            content: .section(
                .class("panel narrow"),
                .p(.class("small"), .a(.href(SiteURL.users.path), .text("← 用户管理"))),
                .h1(.text("新建用户")),
                Forms.errorSummary(model.fields),
                .form(
                    .method(.post), .action(SiteURL.users.path),
                    Forms.csrf(viewer.csrfToken),
                    Forms.text(model.username, maxLength: 64, autocomplete: "off"),
                    Forms.text(model.displayName, maxLength: NewUserInput.displayNameLength, autocomplete: "name"),
                    Forms.select(model.role, options: Role.allCases.map { .init(value: $0.rawValue, label: $0.label) }, blank: "请选择"),
                    Forms.text(model.scope, maxLength: 100),
                    Forms.text(model.password, type: "password", maxLength: 72, autocomplete: "new-password"),
                    .div(.class("form-actions"), .button(.class("button"), .type(.submit), .text("创建")), .a(.href(SiteURL.users.path), .text("取消")))
                )
            )
        )
    }

    static func resetPassword(username: String, field: Forms.Field, viewer: Viewer) -> String {
        Layout.render(
            title: "重置密码",
            section: nil,
            viewer: viewer,
            content: .section(
                .class("panel narrow"),
                .p(.class("small"), .a(.href(SiteURL.users.path), .text("← 用户管理"))),
                .h1(.text("重置 \(username) 的密码")),
                .p(.class("muted small"), .text("重置后，该用户的所有登录会话和 API 令牌立即失效。")),
                Forms.errorSummary([field]),
                .form(
                    .method(.post), .action(SiteURL.userPassword(username: username).path),
                    Forms.csrf(viewer.csrfToken),
                    Forms.text(field, type: "password", maxLength: 72, autocomplete: "new-password"),
                    .div(.class("form-actions"), .button(.class("button"), .type(.submit), .text("重置密码")), .a(.href(SiteURL.users.path), .text("取消")))
                )
            )
        )
    }

    // MARK: Audit

    struct AuditModel {
        var entries: [AuditEntry]
        var entity: String
        var actor: String
        var from: String
        var to: String
        var errors: [String: String]
        var nextQuery: String?
    }

    static func audit(_ model: AuditModel, viewer: Viewer) -> String {
        Layout.render(
            title: "审计日志",
            section: nil,
            viewer: viewer,
            content: .group(
                .section(
                    .class("panel"),
                    .h1(.text("审计日志")),
                    .p(.class("muted small"), .text("平台上的每一次写入都在此留有记录，记录只增不改。时间为北京时间。")),
                    .form(
                        .class("filters"), .method(.get), .action(SiteURL.audit(query: nil).path),
                        Forms.text(
                            .init(
                                name: "entity", label: "对象", value: model.entity, error: model.errors["entity"],
                                hint: "对象类型，如 企业、产品、用户；或 类型:编号"),
                            maxLength: 200),
                        Forms.text(
                            .init(name: "actor", label: "操作人", value: model.actor, error: model.errors["actor"], hint: "操作人的用户名"), maxLength: 200
                        ),
                        Forms.text(.init(name: "from", label: "起始日期", value: model.from, error: model.errors["from"]), type: "date"),
                        Forms.text(.init(name: "to", label: "截止日期", value: model.to, error: model.errors["to"]), type: "date"),
                        .div(.class("form-actions"), .button(.class("button secondary"), .type(.submit), .text("筛选")))
                    )
                ),
                .section(
                    .class("panel"),
                    model.entries.isEmpty
                        ? .p(.class("muted"), .text("没有符合条件的记录。"))
                        : .table(
                            .class("data-table audit-table"),
                            .thead(.tr(.th("时间"), .th("操作人"), .th("操作"), .th("对象"), .th("变更"), .th("请求编号"))),
                            .tbody(
                                .forEach(model.entries) { entry in
                                    .tr(
                                        .td(.class("mono"), .text(ShanghaiTime.dateTime(entry.at))),
                                        .td(
                                            .text(entry.actorLabel),
                                            .unwrap(entry.role.flatMap { Role(rawValue: $0) }) {
                                                .span(.class("muted small"), .text("（\($0.label)）"))
                                            }),
                                        .td(.text(AuditVocabulary.action(entry.action))),
                                        .td(
                                            .text(AuditVocabulary.entityType(entry.entityType)), .text(" "),
                                            .code(.class("small"), .text(entry.entityID))),
                                        .td(change(entry)),
                                        .td(.class("mono small"), .text(entry.requestID ?? "—"))
                                    )
                                })
                        ),
                    .unwrap(model.nextQuery) { .p(.class("pager"), .a(.href(SiteURL.audit(query: $0).path), .text("更早的记录 →"))) }
                )
            )
        )
    }

    private static func change(_ entry: AuditEntry) -> Node<HTML.BodyContext> {
        .element(
            named: "details",
            nodes: [
                .element(named: "summary", text: entry.before == nil ? "新建" : "查看前后"),
                .unwrap(entry.before) { .div(.span(.class("muted small"), .text("之前")), .pre(.class("json"), .text($0))) },
                .unwrap(entry.after) { .div(.span(.class("muted small"), .text("之后")), .pre(.class("json"), .text($0))) },
            ])
    }

}
