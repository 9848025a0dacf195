import FluentKit
import SQLKit

/// 045: consultations with working-day service targets (issue 20 item 3).
///
/// * `service_topics`: the topics of consultations and guidance sessions, held as data (code,
///   Chinese label, whether the regulator rather than a station answers it, order), with a
///   starting list.
/// * `consultations`: an enterprise's question, placed by the enterprise (`uscc`, `district_code`,
///   `park_code`) as its products are; the product it is about, if any; the station it went to
///   (none: the regulator); its status; the service targets kept from the policy on the day it was
///   asked; its clock events as text (`asked 2026-11-02;requested_info 2026-11-04`) so a list reads
///   the clock without the history; the pending target's deadline and the days it turns amber, red
///   and escalated while the clock runs (null while it is stopped or done), so a queue is ordered
///   and filtered by them in SQL; the enterprise's rating. Versioned.
/// * `consultation_messages`: its history — the question, each request, reply, answer, transfer,
///   rating and withdrawal with its text, day and author.
struct CreateConsultations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("service_topics")
            .field("code", .string, .identifier(auto: false))
            .field("label", .string, .required)
            .field("city_level", .bool, .required)
            .field("sort_order", .int, .required)
            .field("active", .bool, .required)
            .create()
        try await database.schema("consultations")
            .id()
            .field("enterprise_id", .uuid, .required, .references("enterprises", "id"))
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("product_id", .uuid, .references("products", "id"))
            .field("product_name", .string)
            .field("topic", .string, .required)
            .field("title", .string, .required)
            .field("station_code", .string)
            .field("status", .string, .required)
            .field("asked_on", .string, .required)
            .field("first_response_days", .int, .required)
            .field("resolution_days", .int, .required)
            .field("amber_fraction", .double, .required)
            .field("escalate_after_days", .int, .required)
            .field("clock_events", .string, .required)
            .field("first_response_on", .string)
            .field("answered_on", .string)
            .field("due_on", .string)
            .field("amber_on", .string)
            .field("red_on", .string)
            .field("escalate_on", .string)
            .field("rating", .int)
            .field("asked_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("consultation_messages")
            .id()
            .field("consultation_id", .uuid, .required, .references("consultations", "id"))
            .field("kind", .string, .required)
            .field("on_day", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("actor", .string, .required)
            .field("body", .string, .required)
            .field("station_code", .string)
            .field("rating", .int)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // A station's queue (and the regulator's, station null) by deadline.
        try await sql.create(index: "consultations_queue").on("consultations").column("station_code").column("status").column("due_on").run()
        try await sql.create(index: "consultations_enterprise").on("consultations").column("uscc").column("asked_on").run()
        try await sql.create(index: "consultations_district").on("consultations").column("district_code").column("asked_on").run()
        try await sql.create(index: "consultations_escalate").on("consultations").column("escalate_on").run()
        try await sql.create(index: "consultation_messages_consultation").on("consultation_messages").column("consultation_id").run()
        for (index, topic) in Self.startingTopics.enumerated() {
            try await sql.insert(into: "service_topics").columns("code", "label", "city_level", "sort_order", "active")
                .values(SQLBind(topic.code), SQLBind(topic.label), SQLBind(topic.cityLevel), SQLBind(index + 1), SQLBind(true)).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("consultation_messages").delete()
        try await database.schema("consultations").delete()
        try await database.schema("service_topics").delete()
    }

    /// The starting topics (seed 000: core patents, technical features, clinical advantages; seed
    /// 002: guidance ahead of clinical trial, registration, inspection and licensing). City-level
    /// ones go to the regulator.
    static let startingTopics: [(code: String, label: String, cityLevel: Bool)] = [
        ("classification", "分类界定", false),
        ("core-patent", "核心专利", false),
        ("technical-features", "技术特征与产品定型", false),
        ("clinical-advantage", "临床优势与临床评价", false),
        ("clinical-trial", "临床试验方案与机构", false),
        ("registration-testing", "注册检验", false),
        ("dossier", "注册申报资料", false),
        ("qms-inspection", "注册质量管理体系核查", false),
        ("innovative-review", "创新医疗器械特别审查申请", true),
        ("priority-review", "优先审批与应急审批", true),
        ("production-licence", "生产许可", true),
        ("change-registration", "变更注册与延续注册", false),
        ("policy", "政策咨询", true),
        ("other", "其他", false),
    ]
}
