import Foundation
import Testing

@testable import TongdaoStore

@Suite("Reading rows by hand")
struct RowReaderTests {
    @Test("ids parse digit by digit as Foundation parses them, in either case; anything else is refused")
    func uuids() {
        for _ in 0..<5_000 {
            let id = UUID()
            #expect(UUID(hyphenated: id.uuidString) == id)
            #expect(UUID(hyphenated: id.uuidString.lowercased()) == id)
        }
        let good = "0192A3B4-C5D6-7E8F-9A0B-1C2D3E4F5A6B"
        #expect(UUID(hyphenated: good) == UUID(uuidString: good))
        for bad in [
            "", "0192A3B4C5D67E8F9A0B1C2D3E4F5A6B", "0192A3B4-C5D6-7E8F-9A0B-1C2D3E4F5A6", "0192A3B4-C5D6-7E8F-9A0B-1C2D3E4F5A6BC",
            "0192A3B4-C5D6-7E8F-9A0B_1C2D3E4F5A6B", "0192A3B-4C5D6-7E8F-9A0B-1C2D3E4F5A6B", "0192A3B4-C5D6-7E8F-9A0B-1C2D3E4F5A6G",
            "0192A3B4-C5D6-7E8F-9A0B-1C2D3E4F5A6 ", "0192A3B4-C5D6-7E8F-9A0B-1C2D3E4F5A6é",
        ] {
            #expect(UUID(hyphenated: bad) == nil, "\(bad)")
            #expect(UUID(uuidString: bad) == nil, "Foundation refuses \(bad) too")
        }
    }
}
