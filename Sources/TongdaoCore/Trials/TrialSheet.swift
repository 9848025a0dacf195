import Foundation

/// The sheets of the trial registry that import and export (the census's way): institutions,
/// investigators, and trials with their sites (one row a site; a trial without a site is one row
/// with the site's columns blank). Columns are named by their Chinese header, in any order.
public enum TrialSheet: String, CaseIterable, Sendable, Codable {
    case institutions, investigators, trials

    public var label: String {
        switch self {
        case .institutions: "临床试验机构"
        case .investigators: "研究者"
        case .trials: "临床试验及中心"
        }
    }

    /// The columns, in the order an export writes them.
    public var columns: [Column] {
        switch self {
        case .institutions:
            [
                .institutionName, .institutionCode, .district, .province, .grade, .drugFilingNumber, .drugFiledOn, .deviceFilingNumber,
                .deviceFiledOn, .specialties,
            ]
        case .investigators:
            [.investigatorID, .investigatorName, .institutionCode, .specialty, .title, .senior, .earlierTrials, .gcpTrainedOn]
        case .trials:
            [
                .registrationNumber, .trialTitle, .kind, .phase, .status, .sponsor, .approvedOn, .pilot, .firstConsentOn, .deviceClass,
                .innovative, .needsApproval, .institutionCode, .investigatorID, .investigatorName, .role, .ethicsApprovedOn, .activatedOn,
                .firstSubjectOn, .targetEnrolment, .actualEnrolment, .closedOn,
            ]
        }
    }

    /// The columns a sheet cannot be read without.
    public var required: [Column] {
        switch self {
        case .institutions: [.institutionName, .institutionCode, .grade]
        case .investigators: [.investigatorName, .institutionCode, .specialty, .title]
        case .trials: [.registrationNumber, .trialTitle, .kind, .sponsor]
        }
    }

    public enum Column: String, CaseIterable, Sendable {
        case institutionName = "机构名称"
        case institutionCode = "机构代码"
        case district = "所在区"
        case province = "所在省份"
        case grade = "医院等级"
        case drugFilingNumber = "药物临床试验机构备案号"
        case drugFiledOn = "药物临床试验机构备案日期"
        case deviceFilingNumber = "医疗器械临床试验机构备案号"
        case deviceFiledOn = "医疗器械临床试验机构备案日期"
        /// `专业：YYYY-MM-DD；专业：YYYY-MM-DD`
        case specialties = "备案专业"
        /// Our id of the person: blank for a person new to the platform.
        case investigatorID = "研究者编号"
        case investigatorName = "研究者姓名"
        case specialty = "专业"
        case title = "职称"
        case senior = "高级职称"
        case earlierTrials = "既往承担试验数"
        case gcpTrainedOn = "GCP培训日期"
        case registrationNumber = "登记号或备案号"
        case trialTitle = "试验题目"
        case kind = "试验类别"
        case phase = "试验分期"
        case status = "试验状态"
        case sponsor = "申办者统一社会信用代码"
        case approvedOn = "批准（备案）日期"
        case pilot = "30日试点"
        case firstConsentOn = "首例知情同意日期"
        case deviceClass = "产品管理类别"
        case innovative = "创新产品"
        case needsApproval = "需审批"
        case role = "机构角色"
        case ethicsApprovedOn = "伦理审查批准日期"
        case activatedOn = "启动日期"
        case firstSubjectOn = "首例入组日期"
        case targetEnrolment = "计划入组例数"
        case actualEnrolment = "实际入组例数"
        case closedOn = "关闭日期"

        /// The column's place in `allCases` (a switch: hashing the Chinese raw value costs more).
        var slot: Int {
            switch self {
            case .institutionName: 0
            case .institutionCode: 1
            case .district: 2
            case .province: 3
            case .grade: 4
            case .drugFilingNumber: 5
            case .drugFiledOn: 6
            case .deviceFilingNumber: 7
            case .deviceFiledOn: 8
            case .specialties: 9
            case .investigatorID: 10
            case .investigatorName: 11
            case .specialty: 12
            case .title: 13
            case .senior: 14
            case .earlierTrials: 15
            case .gcpTrainedOn: 16
            case .registrationNumber: 17
            case .trialTitle: 18
            case .kind: 19
            case .phase: 20
            case .status: 21
            case .sponsor: 22
            case .approvedOn: 23
            case .pilot: 24
            case .firstConsentOn: 25
            case .deviceClass: 26
            case .innovative: 27
            case .needsApproval: 28
            case .role: 29
            case .ethicsApprovedOn: 30
            case .activatedOn: 31
            case .firstSubjectOn: 32
            case .targetEnrolment: 33
            case .actualEnrolment: 34
            case .closedOn: 35
            }
        }
    }

    /// The column a field problem of a write names (the API's field name), in this sheet.
    public func column(forField field: String) -> Column? {
        let base = field.split(separator: "[").first.map(String.init) ?? field
        let byField: [String: Column] =
            switch self {
            case .institutions:
                [
                    "name": .institutionName, "code": .institutionCode, "district": .district, "province": .province, "grade": .grade,
                    "drugFilingNumber": .drugFilingNumber, "drugFiledOn": .drugFiledOn, "deviceFilingNumber": .deviceFilingNumber,
                    "deviceFiledOn": .deviceFiledOn, "specialties": .specialties,
                ]
            case .investigators:
                [
                    "id": .investigatorID, "name": .investigatorName, "institutionId": .institutionCode, "specialty": .specialty,
                    "title": .title, "senior": .senior, "earlierTrials": .earlierTrials, "gcpTrainedOn": .gcpTrainedOn,
                ]
            case .trials:
                [
                    "registrationNumber": .registrationNumber, "title": .trialTitle, "kind": .kind, "phase": .phase, "status": .status,
                    "sponsor": .sponsor, "approvedOn": .approvedOn, "pilot": .pilot, "firstConsentOn": .firstConsentOn,
                    "deviceClass": .deviceClass, "innovative": .innovative, "needsApproval": .needsApproval,
                    "institutionId": .institutionCode, "investigatorId": .investigatorID, "role": .role,
                    "ethicsApprovedOn": .ethicsApprovedOn, "activatedOn": .activatedOn, "firstSubjectOn": .firstSubjectOn,
                    "targetEnrolment": .targetEnrolment, "actualEnrolment": .actualEnrolment, "closedOn": .closedOn,
                ]
            }
        return byField[base]
    }

    // MARK: Reading

    /// A sheet's data rows with their columns found by header.
    public struct Rows: Sendable {
        public let sheet: TrialSheet
        /// Each column's position in a row, by its `slot` (nil when the sheet does not have it).
        let positions: [Int?]
        /// The data rows, each with its row number in the file (the header is row 1); blank rows left out.
        public let rows: [(number: Int, cells: [String])]

        init(sheet: TrialSheet, index: [Column: Int], rows: [(number: Int, cells: [String])]) {
            self.sheet = sheet
            positions = Column.allCases.map { index[$0] }
            self.rows = rows
        }

        /// A cell, trimmed ("" when the column is missing or the row is short).
        public func cell(_ row: [String], _ column: Column) -> String {
            guard let position = positions[column.slot], position < row.count else { return "" }
            return row[position].trimmingWhitespace()
        }

        /// A cell, nil when blank.
        public func value(_ row: [String], _ column: Column) -> String? {
            let text = cell(row, column)
            return text.isEmpty ? nil : text
        }

        public func hasColumn(_ column: Column) -> Bool { positions[column.slot] != nil }
    }

    /// Finds the columns in the header row and keeps the data rows, or names what is wrong with the
    /// header (a column twice, a required one missing) as problems of row 1.
    public func read(_ rows: [[String]]) -> (rows: Rows?, problems: [RowProblem]) {
        guard let header = rows.first else { return (nil, [RowProblem(row: 1, column: "", reason: "文件为空：第 1 行应为表头")]) }
        let (index, problems) = columns(of: header)
        guard problems.isEmpty else { return (nil, problems) }
        return (Rows(sheet: self, index: index, rows: SheetHeader.dataRows(rows)), [])
    }

    /// Whether a header row is this sheet's (every required column, none twice).
    public func isUsableHeader(_ header: [String]) -> Bool { columns(of: header).problems.isEmpty }

    private func columns(of header: [String]) -> (index: [Column: Int], problems: [RowProblem]) {
        let known = Set(columns)
        return SheetHeader.columns(of: header, known: { known.contains($0) }, required: required, sheet: label)
    }

    // MARK: Cells

    /// 是 / 否 (also 1/0, Y/N, true/false); blank is no; anything else nil.
    public static func yesNo(_ cell: String) -> Bool? {
        switch cell.trimmingWhitespace().lowercased() {
        case "", "否", "0", "n", "no", "false": false
        case "是", "1", "y", "yes", "true": true
        default: nil
        }
    }

    public static func yesNo(_ value: Bool) -> String { value ? "是" : "否" }

    /// `肿瘤科：2020-01-05；心血管内科：2021-03-01` read as specialties and days (as text: the write
    /// checks the days); nil when an entry has no day.
    public static func specialties(_ cell: String) -> [(name: String, filedOn: String)]? {
        let entries = cell.unicodeScalars.split(whereSeparator: { $0 == ";" || $0 == "；" || $0 == "\n" }).map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }
        var specialties: [(name: String, filedOn: String)] = []
        for entry in entries {
            guard let colon = entry.lastIndex(where: { $0 == ":" || $0 == "：" }) else { return nil }
            specialties.append(
                (String(entry[..<colon]).trimmingWhitespace(), String(entry[entry.index(after: colon)...]).trimmingWhitespace()))
        }
        return specialties
    }

    public static func specialtiesCell(_ specialties: [(name: String, filedOn: String)]) -> String {
        specialties.map { "\($0.name)：\($0.filedOn)" }.joined(separator: "；")
    }
}

/// What an import of a trial-registry sheet did, or would do.
public struct TrialImportReport: Sendable, Equatable, Codable {
    public var sheet: TrialSheet
    public var dryRun: Bool
    /// Whether the rows were written (false for a dry run and for a sheet with rejected rows).
    public var committed: Bool
    public var rowsRead: Int
    /// Records new to the platform (sites count on the trials sheet, besides trials).
    public var added: Int
    /// Records the sheet changes.
    public var updated: Int
    public var unchanged: Int
    public var rejected: [RowProblem]
    /// People the sheet names who look like someone already registered (same name and
    /// institution, and their specialty, title or GCP training date), for an officer to merge.
    public var likelyDuplicates: [LikelyDuplicate]

    public init(
        sheet: TrialSheet, dryRun: Bool, committed: Bool = false, rowsRead: Int = 0, added: Int = 0, updated: Int = 0, unchanged: Int = 0,
        rejected: [RowProblem] = [], likelyDuplicates: [LikelyDuplicate] = []
    ) {
        self.sheet = sheet
        self.dryRun = dryRun
        self.committed = committed
        self.rowsRead = rowsRead
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
        self.likelyDuplicates = likelyDuplicates
    }
}

/// A row of an investigators sheet that looks like a person registered already.
public struct LikelyDuplicate: Sendable, Equatable, Codable {
    public var row: Int
    public var name: String
    /// The registered person it resembles.
    public var investigatorID: UUID
    /// What else matches besides the name and the institution, in Chinese (专业、职称 …).
    public var matching: [String]

    public init(row: Int, name: String, investigatorID: UUID, matching: [String]) {
        self.row = row
        self.name = name
        self.investigatorID = investigatorID
        self.matching = matching
    }

    /// What two people of one name at one institution share besides it, in Chinese: the same
    /// specialty, title or GCP training day makes them likely one person registered twice.
    public static func matching(
        _ a: (specialty: String, title: String, gcpTrainedOn: String?), _ b: (specialty: String, title: String, gcpTrainedOn: String?)
    ) -> [String] {
        [
            a.specialty == b.specialty ? "专业" : nil, a.title == b.title ? "职称" : nil,
            a.gcpTrainedOn != nil && a.gcpTrainedOn == b.gcpTrainedOn ? "GCP培训日期" : nil,
        ].compactMap { $0 }
    }
}
