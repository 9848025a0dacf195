import FluentKit
import SQLKit

/// 039: post-market vigilance's first tables (issue 19).
///
/// * `udi_device_identifiers`: the UDI-DIs a marketed product carries (several a product: one a
///   packaging level and agency), each DI once in the platform; placed by the product's registrant
///   for scope.
/// * `event_terms`: the controlled list of event terms, held as data (importable), with a starting
///   list of device problems and patient effects in Chinese and English written here.
/// * `adverse_event_reports`: a report, placed by the product's registrant (`uscc`, `district_code`,
///   `park_code`) and, for one filed by a medical institution, by that institution
///   (`reporter_institution_id`); its reporting deadline and whether it came late are computed once,
///   when it is submitted. The narrative and the assessment's note are confidential.
/// * `adverse_event_report_terms`: one row a report's term, with the product and the day reported,
///   so the signal counts are one `GROUP BY` over an index.
/// * `adverse_event_timeline`: the report's events — submitted, each follow-up, the assessment.
struct CreateAdverseEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("udi_device_identifiers")
            .id()
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("di", .string, .required)
            .field("agency", .string, .required)
            .field("packaging", .string, .required)
            .field("quantity", .int, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "di")
            .create()
        try await database.schema("event_terms")
            .field("code", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("chinese", .string, .required)
            .field("english", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema("adverse_event_reports")
            .id()
            .field("number", .string, .required)
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("product_name", .string, .required)
            .field("enterprise_id", .uuid, .required)
            .field("uscc", .string, .required)
            .field("district_code", .string, .required)
            .field("park_code", .string)
            .field("certificate", .string)
            .field("udi_di", .string)
            .field("lot", .string)
            .field("serial", .string)
            .field("reporter_kind", .string, .required)
            .field("reporter_institution_id", .uuid)
            .field("reporter_name", .string, .required)
            .field("event_on", .string, .required)
            .field("aware_on", .string, .required)
            .field("aware_minute", .int)
            .field("seriousness", .string, .required)
            .field("outcome", .string, .required)
            .field("terms", .string, .required)
            .field("narrative", .string, .required)
            .field("submitted_at", .datetime, .required)
            .field("reported_on", .string, .required)
            .field("due", .string)
            .field("late", .bool, .required)
            .field("source", .string, .required)
            .field("status", .string, .required)
            .field("causality", .string)
            .field("assessment_note", .string)
            .field("assessed_by", .string)
            .field("assessed_on", .string)
            .field("submitted_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "number")
            .create()
        try await database.schema("adverse_event_report_terms")
            .field("report_id", .uuid, .required, .references("adverse_event_reports", "id"))
            .field("term_code", .string, .required)
            .field("product_id", .uuid, .required)
            .field("reported_on", .string, .required)
            .compositeIdentifier(over: "report_id", "term_code")
            .create()
        try await database.schema("adverse_event_timeline")
            .id()
            .field("report_id", .uuid, .required, .references("adverse_event_reports", "id"))
            .field("kind", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("actor", .string, .required)
            .field("detail", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "udi_device_identifiers_product").on("udi_device_identifiers").column("product_id").run()
        try await sql.create(index: "adverse_event_reports_reported").on("adverse_event_reports").column("reported_on").run()
        try await sql.create(index: "adverse_event_reports_product").on("adverse_event_reports").column("product_id").run()
        try await sql.create(index: "adverse_event_reports_uscc").on("adverse_event_reports").column("uscc").run()
        try await sql.create(index: "adverse_event_reports_institution").on("adverse_event_reports").column("reporter_institution_id").run()
        try await sql.create(index: "adverse_event_report_terms_window").on("adverse_event_report_terms").column("reported_on").column("product_id")
            .column("term_code").run()
        try await sql.create(index: "adverse_event_timeline_report").on("adverse_event_timeline").column("report_id").run()
        for term in Self.startingTerms {
            try await sql.insert(into: "event_terms").columns("code", "kind", "chinese", "english", "active")
                .values(SQLBind(term.code), SQLBind(term.kind), SQLBind(term.chinese), SQLBind(term.english), SQLBind(true)).run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["adverse_event_timeline", "adverse_event_report_terms", "adverse_event_reports", "event_terms", "udi_device_identifiers"] {
            try await database.schema(table).delete()
        }
    }

    /// The starting list: device problems (`device`) and patient effects (`patient`), written for the
    /// platform (the city may import the IMDRF terms in their place).
    static let startingTerms: [(code: String, kind: String, chinese: String, english: String)] = [
        ("DP001", "device", "断裂", "Break or fracture"),
        ("DP002", "device", "泄漏", "Leak"),
        ("DP003", "device", "堵塞", "Occlusion or blockage"),
        ("DP004", "device", "移位", "Migration or displacement"),
        ("DP005", "device", "松动或脱落", "Loosening or detachment"),
        ("DP006", "device", "变形", "Deformation"),
        ("DP007", "device", "材料磨损", "Material wear"),
        ("DP008", "device", "腐蚀", "Corrosion"),
        ("DP009", "device", "污染", "Contamination"),
        ("DP010", "device", "无菌屏障破损", "Sterile barrier breach"),
        ("DP011", "device", "过热", "Overheating"),
        ("DP012", "device", "起火或冒烟", "Fire or smoke"),
        ("DP013", "device", "漏电或电击", "Electrical leakage or shock"),
        ("DP014", "device", "电池故障", "Battery failure"),
        ("DP015", "device", "电源故障", "Power supply failure"),
        ("DP016", "device", "软件故障", "Software malfunction"),
        ("DP017", "device", "报警失效", "Alarm failure"),
        ("DP018", "device", "误报警", "False alarm"),
        ("DP019", "device", "显示异常", "Display problem"),
        ("DP020", "device", "读数不准确", "Inaccurate reading"),
        ("DP021", "device", "检测结果假阳性", "False positive result"),
        ("DP022", "device", "检测结果假阴性", "False negative result"),
        ("DP023", "device", "输出不足", "Insufficient output"),
        ("DP024", "device", "输出过量", "Excessive output"),
        ("DP025", "device", "无输出", "No output"),
        ("DP026", "device", "连接故障", "Connection failure"),
        ("DP027", "device", "通信故障", "Communication failure"),
        ("DP028", "device", "机械卡滞", "Mechanical jam"),
        ("DP029", "device", "植入物失效", "Implant failure"),
        ("DP030", "device", "植入或输送困难", "Difficult to implant or deliver"),
        ("DP031", "device", "取出困难", "Difficult to remove"),
        ("DP032", "device", "使用错误", "Use error"),
        ("DP033", "device", "标签或说明书问题", "Labelling or instructions problem"),
        ("DP034", "device", "包装问题", "Packaging problem"),
        ("DP035", "device", "生物相容性问题", "Biocompatibility problem"),
        ("DP036", "device", "辐射剂量异常", "Unexpected radiation dose"),
        ("DP037", "device", "图像质量问题", "Image quality problem"),
        ("DP038", "device", "算法输出错误", "Algorithm output error"),
        ("DP039", "device", "网络安全事件", "Cybersecurity incident"),
        ("DP040", "device", "其他器械问题", "Other device problem"),
        ("PE001", "patient", "感染", "Infection"),
        ("PE002", "patient", "出血", "Bleeding"),
        ("PE003", "patient", "血栓或栓塞", "Thrombosis or embolism"),
        ("PE004", "patient", "过敏反应", "Allergic reaction"),
        ("PE005", "patient", "组织损伤", "Tissue injury"),
        ("PE006", "patient", "疼痛", "Pain"),
        ("PE007", "patient", "烧伤", "Burn"),
        ("PE008", "patient", "心律失常", "Arrhythmia"),
        ("PE009", "patient", "神经功能损伤", "Neurological injury"),
        ("PE010", "patient", "需再次手术", "Reoperation required"),
        ("PE011", "patient", "诊断或治疗延误", "Delayed diagnosis or treatment"),
        ("PE012", "patient", "死亡", "Death"),
    ]
}
