import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// An entry of the FAQ and case library as a page or the API shows it.
public struct LibraryEntryRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var version: Int
    public var kind: LibraryKind
    public var status: LibraryStatus
    public var title: String
    /// An FAQ entry's question; a case's background.
    public var question: String
    /// An FAQ entry's answer; a case's handling and lesson.
    public var answer: String
    public var topic: String
    public var topicLabel: String
    public var productCategory: ProductCategory?
    /// The consultation it was drawn from: only for those who write entries.
    public var consultationID: UUID?
    /// The desk that wrote it, by name.
    public var desk: String
    /// Author and reviewer, by name, and their days.
    public var author: String
    public var draftedOn: CivilDate
    public var reviewer: String?
    public var reviewNote: String?
    public var publishedOn: CivilDate?
    public var withdrawnOn: CivilDate?
    public var views: Int
    /// What in it still identifies someone (for a draft, for its reviewer): empty when nothing does.
    public var leaks: [Anonymiser.Leak]
}

/// An entry as typed.
public struct LibraryEntryInput: Sendable, Equatable {
    public var kind: String?
    public var title: String?
    public var question: String?
    public var answer: String?
    public var topic: String?
    public var productCategory: String?
    /// The answered consultation it is drawn from (its id).
    public var consultation: String?
    /// Refused unless empty or `draft`: nothing is published but by review.
    public var status: String?

    public init(
        kind: String? = nil, title: String? = nil, question: String? = nil, answer: String? = nil, topic: String? = nil,
        productCategory: String? = nil, consultation: String? = nil, status: String? = nil
    ) {
        self.kind = kind
        self.title = title
        self.question = question
        self.answer = answer
        self.topic = topic
        self.productCategory = productCategory
        self.consultation = consultation
        self.status = status
    }
}

/// The FAQ and case library (常见问题 / 案例, issue 20 item 4). A station officer or the regulator
/// writes an entry — from scratch, or from an answered consultation, whose question and answer come
/// with the enterprise's names, its products' names, its people, numbers, addresses and codes
/// taken out (`Anonymiser`). Someone other than the author, on the regulator's side, reviews it:
/// publishing refuses an entry that still identifies anyone or whose reviewer did not confirm the
/// review. Published entries are found by every signed-in user in Chinese by character pairs
/// (`SearchGrams`), weighted by how rare each pair is; every reading is counted.
public struct LibraryUseCases: Sendable {
    let platform: Platform

    // MARK: Reads

    /// Published entries: those matching `text` best first; without text, the newest (or most read) first.
    public func search(
        text: String? = nil, kind: String? = nil, topic: String? = nil, productCategory: String? = nil, mostRead: Bool = false, limit: Int = 20,
        offset: Int = 0, by caller: Caller
    ) async throws -> [LibraryEntryRecord] {
        try caller.require(.readLibrary)
        var reader = FieldReader()
        let kind = reader.code("kind", kind, label: "类型", as: LibraryKind.self, required: false)
        let category = reader.code("productCategory", productCategory, label: "产品类别", as: ProductCategory.self, required: false)
        let query = reader.text("q", text, label: "检索词", maximum: 200, required: false)
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let filter = LibraryStore.Filter(kind: kind, topic: topic.flatMap { $0.isEmpty ? nil : $0 }, productCategory: category)
        let db = platform.database
        let limit = max(1, min(limit, 100))
        guard let query else {
            let models = try await LibraryStore.browse(filter, mostRead: mostRead, limit: limit, offset: max(0, offset), on: db)
            return try await records(models, by: caller)
        }
        let hits = try await LibraryStore.search(keys: SearchGrams.queryKeys(query), filter: filter, limit: limit, on: db)
        let models = try await LibraryEntryModel.query(on: db).filter(\.$id ~~ hits.map(\.id)).all()
        let score = Dictionary(hits.map { ($0.id, $0.score) }, uniquingKeysWith: { a, _ in a })
        let ranked = models.sorted { a, b in
            let (x, y) = (score[a.id ?? UUID()] ?? 0, score[b.id ?? UUID()] ?? 0)
            return x != y ? x > y : a.views > b.views
        }
        return try await records(ranked, by: caller)
    }

    /// Entries written and not yet published (and those taken down), for those who write and review
    /// them: a station its own desk's, the regulator every desk's.
    public func queue(status: String? = nil, by caller: Caller) async throws -> [LibraryEntryRecord] {
        try caller.require(.writeLibrary)
        var reader = FieldReader()
        let status = reader.code("status", status, label: "状态", as: LibraryStatus.self, required: false) ?? .draft
        guard reader.problems.isEmpty else { throw UseCaseError.malformed(reader.problems) }
        let desk: String?? = if case .station(let code) = caller.scope { .some(code) } else { .none }
        return try await records(try await LibraryStore.queue(status: status, desk: desk, limit: 500, on: platform.database), by: caller)
    }

    /// One entry: a published one for every reader (its reading counted when `counting`); a draft
    /// or a withdrawn one only for its desk and the regulator.
    public func detail(id: UUID, counting: Bool = false, by caller: Caller) async throws -> LibraryEntryRecord {
        try caller.require(.readLibrary)
        let db = platform.database
        let model = try await visible(id: id, by: caller, on: db)
        if counting, model.status == LibraryStatus.published.rawValue {
            try await LibraryStore.countView(of: id, on: db)
            model.views += 1
        }
        return try await records([model], by: caller, withLeaks: true)[0]
    }

    /// What a new entry drawn from an answered consultation starts as: its title, question and
    /// latest answer with what identifies the enterprise taken out, its topic and product category.
    public func draftFrom(consultation id: UUID, by caller: Caller) async throws -> LibraryEntryInput {
        try caller.require(.writeLibrary)
        let source = try await answeredConsultation(id, by: caller)
        let identity = try await identity(of: source.record)
        let question = source.record.messages.first { $0.kind == .asked }?.body ?? ""
        let answer = source.record.messages.last { $0.kind == .answered }?.body ?? ""
        return LibraryEntryInput(
            kind: LibraryKind.faq.rawValue, title: Anonymiser.redact(source.record.title, identity), question: Anonymiser.redact(question, identity),
            answer: Anonymiser.redact(answer, identity), topic: source.record.topic, productCategory: source.category?.rawValue,
            consultation: id.uuidString)
    }

    // MARK: Writes

    /// A new entry, as a draft waiting for review.
    public func draft(_ input: LibraryEntryInput, by caller: Caller) async throws -> LibraryEntryRecord {
        try caller.require(.writeLibrary)
        var reader = FieldReader()
        let fields = try await read(input, reader: &reader, by: caller)
        var source: UUID?
        if let id = reader.id("consultation", input.consultation, label: "来源咨询", required: false) {
            do {
                _ = try await answeredConsultation(id, by: caller)
                source = id
            } catch UseCaseError.conflict(let problem) {
                reader.problems.append(problem)
            } catch UseCaseError.notFound {
                reader.problems.append(Self.noConsultation)
            }
        }
        let problems = reader.problems
        return try await platform.write(by: caller) { [source] write in
            guard problems.isEmpty, let fields else { throw UseCaseError.invalid(problems) }
            let model = LibraryEntryModel()
            model.id = GuidanceStore.newID(now: write.now)
            fields.apply(to: model)
            model.status = LibraryStatus.draft.rawValue
            model.consultationID = source
            if case .station(let code) = caller.scope { model.station = code }
            model.author = caller.audit.name
            model.draftedOn = ShanghaiTime.day(of: write.now).description
            model.views = 0
            model.version = 1
            try await model.create(on: write.db)
            try await write.audit(
                "library.draft", entityType: "library_entry", entityID: try model.requireID().uuidString, before: nil,
                after: try Audit.json(["kind": model.kind, "title": model.title, "consultation": source?.uuidString ?? ""]))
            return try await records([model], by: caller, on: write.db)[0]
        }
    }

    /// Changes an entry, on the version read. A published entry changed goes back to review (and
    /// out of the search until it is published again).
    public func revise(id: UUID, _ input: LibraryEntryInput, expecting version: Int?, by caller: Caller) async throws -> LibraryEntryRecord {
        try caller.require(.writeLibrary)
        var reader = FieldReader()
        let fields = try await read(input, reader: &reader, by: caller)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            let model = try await writable(id: id, by: caller, on: write.db)
            try model.check(basedOn: version, .libraryEntry)
            guard problems.isEmpty, let fields else { throw UseCaseError.invalid(problems) }
            let before = try Audit.json(["status": model.status, "title": model.title])
            if model.status == LibraryStatus.published.rawValue {
                try await LibraryStore.unindex(entry: id, keys: Self.keys(of: model), on: write.db)
            }
            fields.apply(to: model)
            model.status = LibraryStatus.draft.rawValue
            model.reviewer = nil
            model.publishedOn = nil
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "library.revise", entityType: "library_entry", entityID: id.uuidString, before: before,
                after: try Audit.json(["status": model.status, "title": model.title]))
            return try await records([model], by: caller, on: write.db)[0]
        }
    }

    /// Publishes a draft, on the version read: by the regulator's side, not its author, who confirms
    /// the review (`reviewed`); refused while it still identifies anyone.
    public func publish(id: UUID, reviewed: Bool?, note: String?, expecting version: Int?, by caller: Caller) async throws -> LibraryEntryRecord {
        try caller.require(.publishLibrary)
        var reader = FieldReader()
        let note = reader.text("note", note, label: "审核意见", maximum: 1_000, required: false)
        if reviewed != true {
            reader.problems.append(FieldProblem("reviewed", "must confirm the review", chinese: "请确认已审核内容并已去除可识别企业的信息"))
        }
        let db = platform.database
        guard let found = try await LibraryEntryModel.find(id, on: db) else { throw UseCaseError.notFound(.libraryEntry) }
        let identity = try await sourceIdentity(of: found)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            let model = try await writable(id: id, by: caller, on: write.db)
            try model.check(basedOn: version, .libraryEntry)
            guard model.status == LibraryStatus.draft.rawValue else {
                throw UseCaseError.conflict(FieldProblem("status", "is not waiting for review", chinese: "该条目不是待审核状态"))
            }
            guard model.author != caller.audit.name else {
                throw UseCaseError.conflict(FieldProblem("reviewer", "may not be the author", chinese: "起草人不能审核发布自己起草的条目"))
            }
            var problems = problems
            for (field, text) in [("title", model.title), ("question", model.question), ("answer", model.answer)] {
                let leaks = Anonymiser.leaks(in: text, identity)
                if !leaks.isEmpty {
                    let named = leaks.map { "\($0.what)“\($0.text)”" }.joined(separator: "、")
                    problems.append(FieldProblem(field, "still identifies someone", chinese: "仍含有可识别的信息：\(named)，请修改后再发布"))
                }
            }
            guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
            model.status = LibraryStatus.published.rawValue
            model.reviewer = caller.audit.name
            model.reviewNote = note
            model.publishedOn = ShanghaiTime.day(of: write.now).description
            model.withdrawnOn = nil
            try await model.updateVersioned(on: write.db)
            try await LibraryStore.index(entry: id, keys: Self.keys(of: model), on: write.db)
            try await write.audit(
                "library.publish", entityType: "library_entry", entityID: id.uuidString,
                before: try Audit.json(["status": LibraryStatus.draft.rawValue]),
                after: try Audit.json(["status": model.status, "reviewer": caller.audit.name]))
            return try await records([model], by: caller, on: write.db)[0]
        }
    }

    /// Takes a published entry down with a reason, on the version read.
    public func withdraw(id: UUID, reason: String?, expecting version: Int?, by caller: Caller) async throws -> LibraryEntryRecord {
        try caller.require(.publishLibrary)
        var reader = FieldReader()
        let reason = reader.text("reason", reason, label: "撤下原因", maximum: 1_000)
        let problems = reader.problems
        return try await platform.write(by: caller) { write in
            let model = try await writable(id: id, by: caller, on: write.db)
            try model.check(basedOn: version, .libraryEntry)
            guard model.status == LibraryStatus.published.rawValue else {
                throw UseCaseError.conflict(FieldProblem("status", "is not published", chinese: "该条目未发布，无需撤下"))
            }
            guard problems.isEmpty else { throw UseCaseError.invalid(problems) }
            try await LibraryStore.unindex(entry: id, keys: Self.keys(of: model), on: write.db)
            model.status = LibraryStatus.withdrawn.rawValue
            model.reviewNote = reason
            model.withdrawnOn = ShanghaiTime.day(of: write.now).description
            try await model.updateVersioned(on: write.db)
            try await write.audit(
                "library.withdraw", entityType: "library_entry", entityID: id.uuidString,
                before: try Audit.json(["status": LibraryStatus.published.rawValue]),
                after: try Audit.json(["status": model.status, "reason": reason ?? ""]))
            return try await records([model], by: caller, on: write.db)[0]
        }
    }

    // MARK: Parts

    /// The search keys of an entry: its title, question and answer.
    static func keys(of model: LibraryEntryModel) -> [String] {
        SearchGrams.entryKeys(title: model.title, body: model.question + "\n" + model.answer)
    }

    private static let noConsultation = FieldProblem("consultation", "names no consultation in your scope", chinese: "没有该咨询，或不在您的权限范围内")

    /// The typed fields, checked.
    private struct Fields {
        var kind: LibraryKind
        var title: String
        var question: String
        var answer: String
        var topic: String
        var category: ProductCategory?

        func apply(to model: LibraryEntryModel) {
            model.kind = kind.rawValue
            model.title = title
            model.question = question
            model.answer = answer
            model.topic = topic
            model.productCategory = category?.rawValue
        }
    }

    private func read(_ input: LibraryEntryInput, reader: inout FieldReader, by caller: Caller) async throws -> Fields? {
        if let status = input.status?.trimmingWhitespace(), !status.isEmpty, status != LibraryStatus.draft.rawValue {
            reader.problems.append(
                FieldProblem("status", "is set by review: an entry is published only once reviewed", chinese: "条目须经审核后才能发布，不能直接设为已发布"))
        }
        let kind = reader.code("kind", input.kind, label: "类型", as: LibraryKind.self)
        let title = reader.text("title", input.title, label: "标题", maximum: 200)
        let question = reader.text("question", input.question, label: kind == .caseStudy ? "案情" : "问题", maximum: 4_000, multiline: true)
        let answer = reader.text("answer", input.answer, label: kind == .caseStudy ? "处理与启示" : "解答", maximum: 8_000, multiline: true)
        let category = reader.code("productCategory", input.productCategory, label: "产品类别", as: ProductCategory.self, required: false)
        let topic = reader.text("topic", input.topic, label: "主题", maximum: 64)
        if let topic, !(try await ConsultationStore.topics(on: platform.database).contains { $0.id == topic }) {
            reader.problems.append(FieldProblem("topic", "names no topic", chinese: "没有该主题"))
        }
        guard let kind, let title, let question, let answer, let topic else { return nil }
        return Fields(kind: kind, title: title, question: question, answer: answer, topic: topic, category: category)
    }

    /// An entry the caller may read: published for every reader; otherwise its desk's or the regulator's.
    private func visible(id: UUID, by caller: Caller, on db: any Database) async throws -> LibraryEntryModel {
        guard let model = try await LibraryEntryModel.find(id, on: db) else { throw UseCaseError.notFound(.libraryEntry) }
        if model.status == LibraryStatus.published.rawValue { return model }
        guard caller.may(.writeLibrary), mayWrite(model, caller) else { throw UseCaseError.notFound(.libraryEntry) }
        return model
    }

    /// An entry the caller may change: its desk's, or any for the regulator's side.
    private func writable(id: UUID, by caller: Caller, on db: any Database) async throws -> LibraryEntryModel {
        guard let model = try await LibraryEntryModel.find(id, on: db) else { throw UseCaseError.notFound(.libraryEntry) }
        guard mayWrite(model, caller) else {
            if model.status == LibraryStatus.published.rawValue {
                throw UseCaseError.conflict(FieldProblem("station", "is another desk's entry", chinese: "该条目由其他工作站或市局编写，您不能修改"))
            }
            throw UseCaseError.notFound(.libraryEntry)
        }
        return model
    }

    private func mayWrite(_ model: LibraryEntryModel, _ caller: Caller) -> Bool {
        if case .station(let code) = caller.scope { return model.station == code }
        return caller.may(.publishLibrary)
    }

    /// An answered (or rated) consultation in the caller's scope, with its product's category.
    private func answeredConsultation(_ id: UUID, by caller: Caller) async throws -> (record: ConsultationRecord, category: ProductCategory?) {
        guard caller.may(.readConsultations), let model = try await ConsultationStore.find(id: id, scope: caller.filter, on: platform.database) else {
            throw UseCaseError.notFound(.consultation)
        }
        let record = try await platform.consultations.records([model], withMessages: true)[0]
        guard record.messages.contains(where: { $0.kind == .answered }) else {
            throw UseCaseError.conflict(FieldProblem("consultation", "has not been answered", chinese: "该咨询尚未答复，不能整理为常见问题"))
        }
        var category: ProductCategory?
        if let product = model.productID {
            category = try await ProductModel.find(product, on: platform.database)?.category
        }
        return (record, category)
    }

    /// Who an answered consultation would identify: the enterprise, its product, the people who wrote for it.
    private func identity(of record: ConsultationRecord) async throws -> Anonymiser.Identity {
        let enterpriseSide: Set<ConsultationEventKind> = [.asked, .enterpriseReplied, .rated, .withdrawn]
        let people = [record.askedBy] + record.messages.filter { enterpriseSide.contains($0.kind) }.map(\.by)
        let products = try await ProductModel.query(on: platform.database).filter(\.$enterprise.$id == record.enterpriseID).limit(200).all().map(
            \.name)
        return Anonymiser.Identity(
            enterprises: [record.enterprise], products: Array(Set(products + (record.productName.map { [$0] } ?? []))), people: Array(Set(people)))
    }

    /// The identity an entry must not reveal: that of its source consultation (none when it has none).
    private func sourceIdentity(of model: LibraryEntryModel) async throws -> Anonymiser.Identity {
        guard let source = model.consultationID, let consultation = try await ConsultationModel.find(source, on: platform.database) else {
            return Anonymiser.Identity()
        }
        return try await identity(of: try await platform.consultations.records([consultation], withMessages: true)[0])
    }

    func records(_ models: [LibraryEntryModel], by caller: Caller, withLeaks: Bool = false, on db: (any Database)? = nil) async throws
        -> [LibraryEntryRecord]
    {
        let db = db ?? platform.database
        let today = platform.clock.today()
        let stations = try ReferenceData.stationNames()
        let topics = Dictionary(
            try await ConsultationStore.topics(activeOnly: false, on: db).map { ($0.id ?? "", $0.label) }, uniquingKeysWith: { a, _ in a })
        let names = try await People.labels(usernames: [], actors: models.map(\.author) + models.compactMap(\.reviewer), on: db)
        let writer = caller.may(.writeLibrary)
        var result: [LibraryEntryRecord] = []
        for model in models {
            var leaks: [Anonymiser.Leak] = []
            if withLeaks, writer, model.status == LibraryStatus.draft.rawValue {
                let identity = try await sourceIdentity(of: model)
                leaks = Anonymiser.leaks(in: model.title + "\n" + model.question + "\n" + model.answer, identity)
            }
            result.append(
                LibraryEntryRecord(
                    id: try model.requireID(), version: model.version, kind: LibraryKind(rawValue: model.kind) ?? .faq,
                    status: LibraryStatus(rawValue: model.status) ?? .draft, title: model.title, question: model.question, answer: model.answer,
                    topic: model.topic, topicLabel: topics[model.topic] ?? model.topic,
                    productCategory: model.productCategory.flatMap(ProductCategory.init(rawValue:)),
                    consultationID: writer ? model.consultationID : nil,
                    desk: model.station.map { stations[$0] ?? $0 } ?? ConsultationUseCases.regulatorDesk,
                    author: names[model.author] ?? model.author, draftedOn: CivilDate(model.draftedOn) ?? today,
                    reviewer: model.reviewer.map { names[$0] ?? $0 }, reviewNote: writer ? model.reviewNote : nil,
                    publishedOn: model.publishedOn.flatMap(CivilDate.init), withdrawnOn: model.withdrawnOn.flatMap(CivilDate.init),
                    views: model.views,
                    leaks: leaks))
        }
        return result
    }
}

extension Platform {
    public var library: LibraryUseCases { LibraryUseCases(platform: self) }
}
