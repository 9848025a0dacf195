import TongdaoCore
import TongdaoStore

/// Why a use case refused: one type for every use case, which the API answers as problem details
/// naming the field, and the pages as the Chinese message next to the same field.
public enum UseCaseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The caller's role may not do this at all: 403.
    case forbidden(Action, role: Role?)
    /// No such record in the caller's scope: 404, the same for a missing record and a hidden one.
    case notFound(RecordKind)
    /// Parameters that cannot be read at all (a date that is no date, a cursor this list did not
    /// issue): 400, each naming its parameter.
    case malformed([FieldProblem])
    /// Input that breaks a rule: 422, each problem naming its field.
    case invalid([FieldProblem])
    /// An event the lifecycle or the review clock refuses where it would stand: 422 naming the field.
    case impossibleEvent(event: String, FieldProblem)
    /// The record would land outside the caller's scope: 403 naming the field.
    case outsideScope(FieldProblem)
    /// A field the caller's role may not change on this record: 403 naming it.
    case fieldForbidden(FieldProblem)
    /// The record exists already, or another write got there first: 409 naming the field.
    case conflict(FieldProblem)
    /// The record changed since the version the change was based on was read (someone else saved
    /// it in between): 409, with the version it has now. Nothing is written.
    case stale(RecordKind, current: Int)
    /// A change of a record that does not say which version of it it was based on: 428.
    case versionRequired(RecordKind)
    /// The credentials are wrong, or the account is disabled: 401, saying nothing of which.
    case unauthenticated
    /// Too many failed sign-ins for the name or from the address: 429, and when to try again.
    case throttled(retryAfterSeconds: Int)
    /// The database was too busy to answer in time (every attempt met a competing writer, or no
    /// connection was free): 503, and when to try again. Nothing was written.
    case busy(retryAfterSeconds: Int)

    /// The kinds of record a use case looks up by id or name.
    public enum RecordKind: String, Sendable, Equatable {
        case enterprise, product, application, user, upload, procedure, token, institution, investigator, trial, site, merge, warning, inspector,
            inspection, finding, keySupervision, adverseEvent, udi, signal, obligation, riskItem, consultation, appointmentSlot, appointment,
            guidance, keyVariety, libraryEntry, handbookPolicy, landingProject, landingProblem, landingMeeting, deltaLink, deltaShare,
            deltaJoint, deltaResult, deltaNotice

        /// English, as the API's problem detail says it.
        public var detail: String {
            switch self {
            case .enterprise: "No enterprise has this id."
            case .product: "No product has this id."
            case .application: "No application has this id."
            case .user: "No user has this name."
            case .upload: "No upload of yours has this id."
            case .procedure: "No procedure has this code."
            case .token: "No token has this id."
            case .institution: "No trial institution has this id."
            case .investigator: "No investigator has this id."
            case .trial: "No trial has this id."
            case .site: "No site of this trial has this id."
            case .merge: "No merge of investigators has this id."
            case .warning: "No trial warning has this id."
            case .inspector: "No inspector has this id."
            case .inspection: "No inspection has this id."
            case .finding: "No finding of this inspection has this id."
            case .keySupervision: "No entry of the key-supervision list has this id."
            case .adverseEvent: "No adverse-event report has this id."
            case .udi: "No UDI-DI of this product has this id."
            case .signal: "No signal on the list has this id."
            case .obligation: "No conditional-approval obligation has this id."
            case .riskItem: "No risk item of this product has this id."
            case .consultation: "No consultation has this id."
            case .appointmentSlot: "No appointment slot has this id."
            case .appointment: "No appointment has this id."
            case .guidance: "No guidance record has this id."
            case .keyVariety: "No entry of the key-varieties list has this id."
            case .libraryEntry: "No entry of the FAQ and case library has this id."
            case .handbookPolicy: "No policy of the handbook has this id."
            case .landingProject: "No landing project in your scope has this id."
            case .landingProblem: "No problem of this landing project has this id."
            case .deltaLink: "No entrustment link in your reach has this id."
            case .deltaShare: "No share in your reach has this id."
            case .deltaJoint: "No joint inspection in your reach has this id."
            case .deltaResult: "No partner's result in your reach has this id."
            case .deltaNotice: "No notice in your reach has this id."
            case .landingMeeting: "No landing meeting has this id."
            }
        }

        /// The record's name in Chinese.
        public var noun: String {
            switch self {
            case .enterprise: "企业"
            case .product: "产品"
            case .application: "申报事项"
            case .user: "用户"
            case .upload: "上传的文件"
            case .procedure: "审评程序"
            case .token: "令牌"
            case .institution: "临床试验机构"
            case .investigator: "研究者"
            case .trial: "临床试验"
            case .site: "试验机构（中心）"
            case .merge: "研究者合并记录"
            case .warning: "临床试验预警"
            case .inspector: "检查员"
            case .inspection: "检查任务"
            case .finding: "检查发现"
            case .keySupervision: "重点监管名单记录"
            case .adverseEvent: "不良事件报告"
            case .udi: "产品标识（UDI-DI）"
            case .signal: "信号"
            case .obligation: "附条件批准义务"
            case .riskItem: "风险项"
            case .consultation: "咨询"
            case .appointmentSlot: "预约时段"
            case .appointment: "预约"
            case .guidance: "一对一服务记录"
            case .keyVariety: "在研重点品种"
            case .libraryEntry: "常见问题或案例"
            case .handbookPolicy: "政策"
            case .landingProject: "产业化落地项目"
            case .landingProblem: "落地问题"
            case .deltaLink: "跨省委托生产"
            case .deltaShare: "共享的检查结果"
            case .deltaJoint: "联合检查"
            case .deltaResult: "伙伴省份检查结果"
            case .deltaNotice: "风险通报或协查请求"
            case .landingMeeting: "落地会商"
            }
        }

        public var chinese: String {
            switch self {
            case .enterprise: "企业不存在，或不在您的权限范围内。"
            case .product: "产品不存在，或不在您的权限范围内。"
            case .application: "申报事项不存在，或不在您的权限范围内。"
            case .user: "用户不存在。"
            case .upload: "上传的文件不存在或已处理。"
            case .procedure: "审评程序不存在。"
            case .token: "令牌不存在。"
            case .institution: "临床试验机构不存在，或不在您的权限范围内。"
            case .investigator: "研究者不存在，或不在您的权限范围内。"
            case .trial: "临床试验不存在，或不在您的权限范围内。"
            case .site: "该试验没有这个参与机构（中心）。"
            case .merge: "合并记录不存在，或不在您的权限范围内。"
            case .warning: "预警不存在，或不在您的权限范围内。"
            case .inspector: "检查员不存在。"
            case .inspection: "检查任务不存在，或不在您的权限范围内。"
            case .finding: "该检查任务没有这项检查发现。"
            case .keySupervision: "重点监管名单中没有该记录。"
            case .adverseEvent: "不良事件报告不存在，或不在您的权限范围内。"
            case .udi: "该产品没有这个产品标识（UDI-DI）。"
            case .signal: "信号清单中没有该信号。"
            case .obligation: "附条件批准义务不存在，或不在您的权限范围内。"
            case .riskItem: "该产品的风险排查清单中没有这个风险项。"
            case .consultation: "咨询不存在，或不在您的权限范围内。"
            case .appointmentSlot: "预约时段不存在。"
            case .appointment: "预约不存在，或不在您的权限范围内。"
            case .guidance: "服务记录不存在，或不在您的权限范围内。"
            case .keyVariety: "重点品种服务清单中没有该记录，或不在您的权限范围内。"
            case .libraryEntry: "没有该常见问题或案例，或尚未发布。"
            case .handbookPolicy: "政策手册中没有该政策。"
            case .landingProject: "没有该产业化落地项目，或不在您的权限范围内。"
            case .landingProblem: "该项目没有这个问题。"
            case .deltaLink: "没有该跨省委托生产记录，或不在您的权限范围内。"
            case .deltaShare: "没有该共享的检查结果，或已撤回，或不在您的权限范围内。"
            case .deltaJoint: "没有该联合检查，或不在您的权限范围内。"
            case .deltaResult: "没有该伙伴省份检查结果，或不在您的权限范围内。"
            case .deltaNotice: "没有该风险通报或协查请求，或不在您的权限范围内。"
            case .landingMeeting: "没有该会商记录。"
            }
        }
    }

    /// The field problems the error carries, if any.
    public var problems: [FieldProblem] {
        switch self {
        case .malformed(let problems), .invalid(let problems): problems
        case .impossibleEvent(_, let problem), .outsideScope(let problem), .fieldForbidden(let problem), .conflict(let problem): [problem]
        case .forbidden, .notFound, .stale, .versionRequired, .unauthenticated, .throttled, .busy: []
        }
    }

    /// English, for the API's `detail`.
    public var description: String {
        switch self {
        case .forbidden(let action, let role):
            "The role \(role?.rawValue ?? "platform") may not perform \(action.rawValue)."
        case .notFound(let kind):
            kind.detail
        case .malformed(let problems), .invalid(let problems):
            problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
        case .impossibleEvent(let event, let problem):
            "\(event) \(problem.message)"
        case .outsideScope(let problem):
            "the \(problem.field) is outside your scope"
        case .fieldForbidden(let problem):
            "\(problem.field) \(problem.message)"
        case .conflict(let problem):
            problem.message
        case .stale(let kind, let current):
            "The \(kind.rawValue) was changed by someone else since the version this change is based on was read; it is version \(current) now. Read it again and make the change on what it is now."
        case .versionRequired(let kind):
            "A change of a \(kind.rawValue) names the version it is based on (the ETag it was read with, sent as If-Match)."
        case .unauthenticated:
            "The username or password is wrong, or the account is disabled."
        case .throttled(let seconds):
            "Too many failed sign-ins for this user or from this address. Try again in \(seconds) seconds."
        case .busy(let seconds):
            "The platform is too busy to answer now; nothing was written. Try again in \(seconds) seconds."
        }
    }

    /// Chinese, for the page that shows the refusal.
    public var chinese: String {
        switch self {
        case .forbidden(let action, let role):
            "您的角色（\(role?.label ?? "平台")）无权\(action.label)。"
        case .notFound(let kind):
            kind.chinese
        case .malformed(let problems), .invalid(let problems):
            problems.map(\.chinese).joined(separator: "；")
        case .impossibleEvent(_, let problem):
            "此事件现在不能记录：\(problem.chinese)"
        case .outsideScope(let problem), .fieldForbidden(let problem), .conflict(let problem):
            problem.chinese
        case .stale(let kind, _):
            "您打开之后，此\(kind.noun)已被其他人修改。请查看最新内容后再保存。"
        case .versionRequired(let kind):
            "此\(kind.noun)的页面已过期，请刷新后再修改。"
        case .unauthenticated:
            "用户名或密码错误，或账号已停用。"
        case .throttled(let seconds):
            "登录失败次数过多，请 \(seconds) 秒后再试。"
        case .busy(let seconds):
            "系统繁忙，本次操作未保存，请 \(seconds) 秒后重试。"
        }
    }
}

extension UseCaseError {
    /// How long a client is asked to wait when the platform is busy.
    static let busyRetrySeconds = 2

    /// `busy` for an error that says the database was too busy to answer (`TransientFailure`),
    /// for the adapters' last line of defence: a read that found no free connection.
    public static func overload(_ error: any Error) -> UseCaseError? {
        TransientFailure.isOverload(error) ? .busy(retryAfterSeconds: busyRetrySeconds) : nil
    }
}

extension FieldProblem {
    /// The problem of a required field left empty.
    static func required(_ field: String, chinese: String) -> FieldProblem {
        FieldProblem(field, "is required", chinese: chinese)
    }
}
