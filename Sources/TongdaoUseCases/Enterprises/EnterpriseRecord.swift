import FluentKit
import Foundation
import TongdaoCore
import TongdaoStore

/// An enterprise of the registry as the use cases return it: its id, its fields and when it was
/// registered and last changed. A plain value: what the API encodes and the pages show.
@dynamicMemberLookup
public struct EnterpriseRecord: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var draft: EnterpriseDraft
    /// 1 when registered, one more with every change: what a change names as the version it is based on.
    public var version: Int
    public var createdAt: Date?
    public var updatedAt: Date?

    public init(id: UUID, draft: EnterpriseDraft, version: Int = 1, createdAt: Date? = nil, updatedAt: Date? = nil) {
        self.id = id
        self.draft = draft
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    init(_ model: EnterpriseModel) throws {
        self.init(id: try model.requireID(), draft: model.draft, version: model.version, createdAt: model.createdAt, updatedAt: model.updatedAt)
    }

    public subscript<T>(dynamicMember path: KeyPath<EnterpriseDraft, T>) -> T { draft[keyPath: path] }
}

/// An enterprise's fields as a form or a client submits them: text as typed, nil where a field is
/// not sent (a patch leaves it as it is; a new enterprise takes the default). An empty text clears
/// an optional field. The use case reads and checks them, so the API and the pages report the
/// same problems.
public struct EnterpriseInput: Sendable, Equatable {
    public var uscc: String?
    public var name: String?
    public var district: String?
    public var park: String?
    /// An `EnterpriseKind` code.
    public var kind: String?
    public var isStartup: Bool?
    public var contactName: String?
    public var contactPhone: String?

    public init(
        uscc: String? = nil, name: String? = nil, district: String? = nil, park: String? = nil, kind: String? = nil, isStartup: Bool? = nil,
        contactName: String? = nil, contactPhone: String? = nil
    ) {
        self.uscc = uscc
        self.name = name
        self.district = district
        self.park = park
        self.kind = kind
        self.isStartup = isStartup
        self.contactName = contactName
        self.contactPhone = contactPhone
    }

    /// The fields applied to `draft` (the USCC only when `settingUSCC`: it never changes once
    /// registered), and the problems of fields that cannot be read.
    func apply(to draft: inout EnterpriseDraft, settingUSCC: Bool) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        // Typed or pasted codes often carry spaces or lower-case letters; the register holds them upper-case.
        if settingUSCC, let uscc { draft.uscc = uscc.trimmingWhitespace().uppercased() }
        if let name { draft.name = name }
        if let district { draft.district = district }
        if let park { draft.park = park.nonBlank }
        if let kind {
            if let value = EnterpriseKind(rawValue: kind) {
                draft.kind = value
            } else {
                problems.append(
                    FieldProblem(
                        "kind", "must be one of \(EnterpriseKind.allCases.map(\.rawValue).joined(separator: ", "))", chinese: "请选择企业类型"))
            }
        }
        if let isStartup { draft.isStartup = isStartup }
        if let contactName { draft.contactName = contactName.nonBlank }
        if let contactPhone { draft.contactPhone = contactPhone.nonBlank }
        return problems
    }
}
