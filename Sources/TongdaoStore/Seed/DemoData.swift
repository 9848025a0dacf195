import FluentKit
import Foundation
import TongdaoCore

/// The data `--demo` fills an empty database with: one user per role (all with `password`), a few
/// named enterprises across districts and parks, and the generated city of `DemoCity` with three
/// years of census. Every row goes through the same store calls as real writes, audit rows
/// included. A restart in demo mode adds nothing.
public enum DemoData {
    public enum Outcome: Sendable, Equatable {
        /// The database held no data of its own and now holds the demo data.
        case seeded
        /// Demo data was seeded by an earlier run; nothing was touched.
        case seededEarlier
        /// The database holds real data (users or enterprises); nothing was touched.
        case alreadyPopulated
    }

    /// The one password of every demo account (demo only: printed in the banner and the README).
    public static let password = "tongdao-demo"

    public struct DemoUser: Sendable {
        public var username: String
        /// 姓名: fictitious.
        public var displayName: String
        public var role: Role
        public var scope: Scope
    }

    /// Demo enterprises: valid USCCs (check characters computed), fictitious names.
    public static let enterprises: [EnterpriseDraft] = [
        draft("91310115MA1K", "00001", "上海张江示例医疗科技有限公司", "310115", "zhangjiang", .registrant, startup: true),
        draft("91310115MA1K", "00002", "上海临港示例影像设备有限公司", "310115", "lingang", .manufacturer, startup: false),
        draft("91310115MA1K", "00003", "上海浦东示例生物材料有限公司", "310115", nil, .registrant, startup: true),
        draft("91310104MA1K", "00004", "上海徐汇示例数字医疗有限公司", "310104", nil, .registrant, startup: true),
        draft("91310112MA1K", "00005", "上海南虹桥示例医疗器械有限公司", "310112", "nan-hongqiao", .cdmo, startup: false),
        draft("91310120MA1K", "00006", "上海东方美谷示例医美器械有限公司", "310120", "dongfang-meigu", .manufacturer, startup: false),
        draft("91310113MA1K", "00007", "上海北上海示例临床研究有限公司", "310113", "bei-shanghai", .cro, startup: false),
        draft("91310114MA1K", "00008", "上海嘉定示例医疗器械经营有限公司", "310114", nil, .distributor, startup: false),
    ]

    public static var users: [DemoUser] {
        [
            DemoUser(username: "admin", displayName: "周平", role: .cityAdmin, scope: .city),
            DemoUser(username: "regulator", displayName: "李静", role: .cityRegulator, scope: .city),
            DemoUser(username: "reviewer", displayName: "王磊", role: .reviewer, scope: .city),
            DemoUser(username: "inspector", displayName: "陈刚", role: .inspector, scope: .city),
            DemoUser(username: "industry", displayName: "赵敏", role: .industryOfficer, scope: .city),
            DemoUser(username: "pudong", displayName: "刘洋", role: .districtOfficer, scope: .district("310115")),
            DemoUser(username: "zhangjiang", displayName: "孙丽", role: .parkOfficer, scope: .park("zhangjiang")),
            DemoUser(username: "station-xuhui", displayName: "吴昊", role: .stationOfficer, scope: .station("xuhui")),
            DemoUser(username: "enterprise", displayName: "郑婷", role: .enterpriseUser, scope: .enterprise(enterprises[0].uscc)),
            DemoUser(
                username: "institution", displayName: "钱芳", role: .trialInstitutionOfficer,
                scope: .institution(DemoTrials.officeInstitution.uuidString)),
            DemoUser(username: "health", displayName: "何佳", role: .healthOfficer, scope: .city),
        ] + stationOfficers + partnerRegulators
    }

    /// A liaison of each partner province's regulator (`jiangsu`, `zhejiang`, `anhui`).
    static let partnerRegulators: [DemoUser] = [
        DemoUser(username: "jiangsu", displayName: "顾晓东", role: .partnerRegulator, scope: .province(.jiangsu)),
        DemoUser(username: "zhejiang", displayName: "沈雨桐", role: .partnerRegulator, scope: .province(.zhejiang)),
        DemoUser(username: "anhui", displayName: "汪志远", role: .partnerRegulator, scope: .province(.anhui)),
    ]

    /// An officer for each of the other eleven stations (`station-<code>`), so every station's desk
    /// has someone answering.
    static let stationOfficers: [DemoUser] = [
        ("zhangjiang", "冯晨"), ("lingang", "蒋悦"), ("minhang", "韩冰"), ("jiading", "杨帆"), ("baoshan", "朱琳"), ("yangpu", "秦朗"),
        ("fengxian", "许诺"), ("jinshan", "何畅"), ("songjiang", "吕青"), ("qingpu", "施远"), ("chongming", "张宁"),
    ].map { DemoUser(username: "station-\($0.0)", displayName: $0.1, role: .stationOfficer, scope: .station($0.0)) }

    private static func draft(
        _ prefix: String, _ serial: String, _ name: String, _ district: String, _ park: String?, _ kind: EnterpriseKind, startup: Bool
    ) -> EnterpriseDraft {
        let first17 = prefix + serial
        let uscc = USCC.completing(first17)!
        return EnterpriseDraft(
            uscc: uscc, name: name, district: district, park: park, kind: kind, isStartup: startup,
            contactName: "演示联系人", contactPhone: "021-5000 \(serial.suffix(4))")
    }

    /// How many applications demo mode generates.
    public static let applicationCount = 300

    /// What a database holds before demo data goes in: demo data already, data of its own, or nothing.
    public static func state(on database: any Database) async throws -> Outcome? {
        guard try await PlatformSetting.find(PlatformSetting.Key.demoSeededAt, on: database) == nil else { return .seededEarlier }
        guard try await UserModel.query(on: database).count() == 0, try await EnterpriseModel.query(on: database).count() == 0 else {
            return .alreadyPopulated
        }
        return nil
    }

    /// Records that the demo data went in, so that a later run adds nothing.
    public static func markSeeded(now: Date, on database: any Database) async throws {
        try await PlatformSetting(key: PlatformSetting.Key.demoSeededAt, value: now.formatted(.iso8601)).create(on: database)
    }
}
