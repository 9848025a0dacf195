import Foundation
import TongdaoCore

/// What one person was sent about one day.
public struct DigestRecord: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var day: String
    public var items: [DigestItem]
    /// How many items were escalated to this person as a supervisor.
    public var escalated: Int

    public init(day: String, items: [DigestItem], escalated: Int) {
        self.day = day
        self.items = items
        self.escalated = escalated
    }
}
