import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// A risk notice or a request for assistance to a partner province, with its answer.
public struct DeltaNoticeRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var kind: DeltaNoticeKind
    public var province: DeltaProvince
    public var subject: String
    public var body: String
    public var enterpriseUSCC: String?
    public var enterpriseName: String?
    public var linkID: UUID?
    public var linkProduct: String?
    public var sentOn: CivilDate
    public var sentBy: String
    public var workingDays: Int
    public var dueOn: CivilDate
    public var answer: String?
    public var answeredOn: CivilDate?
    public var answeredBy: String?
    public var status: DeltaNoticeStatus
    /// An open notice's level today (red past its day, amber within `NoticeRules.amberWorkingDays`).
    public var level: ReviewClock.Level?
    /// Answered after the day it was due.
    public var answeredLate: Bool
}

/// A notice as typed.
public struct DeltaNoticeInput: Sendable, Equatable {
    public var kind: String?
    public var province: String?
    public var subject: String?
    public var body: String?
    public var creditCode: String?
    public var link: String?
    /// The day sent (a notice sent on paper earlier is recorded on its day); today when blank.
    public var sentOn: String?
    public var workingDays: String?

    public init(
        kind: String? = nil, province: String? = nil, subject: String? = nil, body: String? = nil, creditCode: String? = nil, link: String? = nil,
        sentOn: String? = nil, workingDays: String? = nil
    ) {
        self.kind = kind
        self.province = province
        self.subject = subject
        self.body = body
        self.creditCode = creditCode
        self.link = link
        self.sentOn = sentOn
        self.workingDays = workingDays
    }
}

/// Risk notices (风险通报) and requests for assistance (协查请求) to a partner province (issue 21): the
/// city's regulator sends one with a time limit in working days — the day due counted on the
/// working-day calendar —, the partner's regulator answers it on the platform once, on the version
/// read; an open one turns amber near its day and red past it.
public struct DeltaNoticeUseCases: Sendable {
    let platform: Platform

    /// The notices in reach — the city's side every one, a partner those sent to it —, optionally
    /// open or answered only; the latest sent first.
    public func list(status: String? = nil, by caller: Caller) async throws -> [DeltaNoticeRecord] {
        try caller.require(.readDelta)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "答复状态", as: DeltaNoticeStatus.self, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let models = try await DeltaStore.notices(scope: caller.filter, answered: status.map { $0 == .answered }, on: platform.database)
        return try await records(models, calendar: try await platform.calendar(), on: platform.database)
    }

    /// The notices in reach (answered or open when told) as a sheet: one a row, with the day due, where
    /// it stands today and the answer.
    public func export(status: String? = nil, format: CensusUseCases.Format, by caller: Caller) async throws -> Data {
        let notices = try await list(status: status, by: caller)
        var rows: [[String]] = [
            [
                "类型", "标题", "接收省份", "涉及企业", "跨省委托生产", "发出日期", "答复时限（工作日）", "应答复日期", "状态", "答复日期", "答复",
                "内容",
            ]
        ]
        for notice in notices {
            let standing =
                notice.level.map { "未答复（\($0.label)）" } ?? "已答复" + (notice.answeredLate ? "（逾期）" : "")
            rows.append([
                notice.kind.label, notice.subject, notice.province.name, notice.enterpriseName ?? "", notice.linkProduct ?? "",
                notice.sentOn.description, String(notice.workingDays), notice.dueOn.description, standing,
                notice.answeredOn?.description ?? "", notice.answer ?? "", notice.body,
            ])
        }
        return try CensusSheets.file(rows, sheetName: "风险通报和协查请求", format: format)
    }

    /// One notice in reach (404 otherwise).
    public func detail(id: UUID, by caller: Caller) async throws -> DeltaNoticeRecord {
        try caller.require(.readDelta)
        guard let model = try await DeltaStore.notice(id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.deltaNotice)
        }
        return try await records([model], calendar: try await platform.calendar(), on: platform.database)[0]
    }

    /// Sends a notice to a partner province: its subject and text, the enterprise concerned and the
    /// link when given, the time limit in working days (`NoticeRules.workingDays`).
    public func send(_ input: DeltaNoticeInput, by caller: Caller) async throws -> DeltaNoticeRecord {
        try caller.require(.writeDelta)
        let today = platform.clock.today()
        var reader = FieldReader()
        let kind = reader.code("kind", input.kind, label: "类型", as: DeltaNoticeKind.self)
        let province = reader.partner("province", input.province, label: "接收省份")
        let subject = reader.text("subject", input.subject, label: "标题", maximum: 100)
        let body = reader.text("body", input.body, label: "内容", maximum: 2_000, multiline: true)
        let uscc = reader.uscc("creditCode", input.creditCode, label: "涉及企业的统一社会信用代码")
        let linkID = reader.id("link", input.link.nonBlank, label: "跨省委托生产关系", required: false)
        let sentOn = reader.day("sentOn", input.sentOn, label: "发出日期", today: today) ?? today
        let typedDays = reader.wholeNumber("workingDays", input.workingDays, label: "答复时限（工作日）")
        let days = reader.count("workingDays", typedDays, label: "答复时限（工作日）", in: NoticeRules.workingDays)
        let calendar = try await platform.calendar()
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            var problems = problems
            var enterprise: EnterpriseModel?
            if let uscc {
                enterprise = try await EnterpriseStore.find(usccs: [uscc], on: write.db)[uscc]
                if enterprise == nil {
                    problems.append(FieldProblem("creditCode", "names no registered enterprise", chinese: "平台上没有该统一社会信用代码的企业"))
                }
            }
            let link = try await DeltaStore.link(linkID, involving: province, problems: &problems, on: write.db)
            guard problems.isEmpty, let kind, let province, let subject, let body, let days else { throw UseCaseError.invalid(problems) }
            let model = DeltaNoticeModel()
            model.id = GuidanceStore.newID(now: write.now)
            model.kind = kind.rawValue
            model.province = province.rawValue
            model.subject = subject
            model.body = body
            model.enterpriseUSCC = enterprise?.uscc
            model.enterpriseName = enterprise?.name
            model.linkID = try link?.requireID()
            model.sentOn = sentOn.description
            model.sentBy = caller.audit.name
            model.workingDays = days
            model.dueOn = NoticeRules.due(sentOn: sentOn, workingDays: days, calendar: calendar).description
            model.version = 1
            try await model.create(on: write.db)
            try await write.audit(
                "delta.notice.send", entityType: "delta_notice", entityID: try model.requireID().uuidString, before: nil,
                after: try Audit.json([
                    "kind": kind.rawValue, "province": province.rawValue, "subject": subject, "sentOn": model.sentOn, "dueOn": model.dueOn,
                ]))
            return try await records([model], calendar: calendar, on: write.db)[0]
        }
    }

    /// The partner's answer, once, on the version read (a second is 409 naming `answer`).
    public func answer(id: UUID, answer: String?, expecting version: Int?, by caller: Caller) async throws -> DeltaNoticeRecord {
        try caller.require(.respondDelta)
        var reader = FieldReader()
        let answer = reader.text("answer", answer, label: "答复", maximum: 2_000, multiline: true)
        let problems = reader.problems
        let calendar = try await platform.calendar()
        return try await platform.write(by: caller) { write in
            guard let model = try await DeltaStore.notice(id, scope: caller.filter, on: write.db) else { throw UseCaseError.notFound(.deltaNotice) }
            try model.check(basedOn: version, .deltaNotice)
            guard model.answeredOn == nil else {
                throw UseCaseError.conflict(FieldProblem("answer", "is answered already", chinese: "该事项已答复"))
            }
            guard problems.isEmpty, let answer else { throw UseCaseError.invalid(problems) }
            model.answer = answer
            model.answeredOn = ShanghaiTime.day(of: write.now).description
            model.answeredBy = caller.audit.name
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "delta.notice.answer", entityType: "delta_notice", entityID: id.uuidString, before: try Audit.json(["answered": "no"]),
                after: try Audit.json(["answered": model.answeredOn ?? "", "dueOn": model.dueOn]))
            return try await records([model], calendar: calendar, on: write.db)[0]
        }
    }

    /// The records of notices, their levels on the working-day calendar (read before a write: inside
    /// one only `db` is touched).
    func records(_ models: [DeltaNoticeModel], calendar: WorkCalendar, on db: any Database) async throws -> [DeltaNoticeRecord] {
        let people = try await People.labels(usernames: [], actors: models.flatMap { [$0.sentBy] + ($0.answeredBy.map { [$0] } ?? []) }, on: db)
        let links = try await DeltaStore.productNames(of: models.compactMap(\.linkID), on: db)
        let today = platform.clock.today()
        return try models.map { model in
            let due = CivilDate(model.dueOn) ?? today
            let answeredOn = model.answeredOn.flatMap(CivilDate.init)
            return DeltaNoticeRecord(
                id: try model.requireID(), version: model.version, kind: DeltaNoticeKind(rawValue: model.kind) ?? .risk,
                province: DeltaProvince(rawValue: model.province) ?? .jiangsu, subject: model.subject, body: model.body,
                enterpriseUSCC: model.enterpriseUSCC, enterpriseName: model.enterpriseName, linkID: model.linkID,
                linkProduct: model.linkID.flatMap { links[$0] }, sentOn: CivilDate(model.sentOn) ?? today,
                sentBy: people[model.sentBy] ?? model.sentBy, workingDays: model.workingDays, dueOn: due, answer: model.answer,
                answeredOn: answeredOn, answeredBy: model.answeredBy.map { people[$0] ?? $0 },
                status: answeredOn == nil ? .open : .answered,
                level: NoticeRules.level(dueOn: due, answered: answeredOn != nil, today: today, calendar: calendar),
                answeredLate: answeredOn.map { $0 > due } ?? false)
        }
    }
}

extension Platform {
    public var deltaNotices: DeltaNoticeUseCases { DeltaNoticeUseCases(platform: self) }
}
