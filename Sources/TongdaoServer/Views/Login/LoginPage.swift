import TongdaoHTML

/// `/login`: username and password; one generic message whatever was wrong.
enum LoginPage {
    struct Model {
        var username = ""
        var next: String?
        var error: String?
        var csrfToken: String
    }

    static func render(_ model: Model) -> String {
        Layout.render(
            title: "登录",
            section: nil,
            content: .section(
                .class("panel narrow"),
                .h1(.text("登录通道平台")),
                .unwrap(model.error) { .div(.class("form-errors"), .attribute(named: "role", value: "alert"), .p(.text($0))) },
                .form(
                    .method(.post), .action(SiteURL.login(next: nil).path),
                    Forms.csrf(model.csrfToken),
                    .unwrap(model.next) { .input(.type(.hidden), .name("next"), .value($0)) },
                    Forms.text(.init(name: "username", label: "用户名", value: model.username, required: true), maxLength: 64, autocomplete: "username"),
                    Forms.text(
                        .init(name: "password", label: "密码", required: true), type: "password", maxLength: 200, autocomplete: "current-password"),
                    .div(.class("form-actions"), .button(.class("button"), .type(.submit), .text("登录")))
                )
            )
        )
    }
}
