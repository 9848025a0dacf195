import Foundation
import Testing
import TongdaoCore

@Suite("The PI-load policy: a threshold over all sites, overrides by specialty and limits by phase")
struct PILoadPolicyTests {
    static let policy = PILoadPolicy(threshold: 5, bySpecialty: ["肿瘤科": 8], byPhase: [.phase1: 2, .bioequivalence: 3], effectiveFrom: "2026-12-01")

    @Test("a load passes the specialty's threshold, a phase's limit, or both; the one passed furthest comes first")
    func excesses() {
        let policy = Self.policy
        #expect(policy.excesses(5, specialty: "心内科").isEmpty)
        #expect(policy.excesses(6, specialty: "心内科") == [.init(phase: nil, load: 6, limit: 5)])
        #expect(policy.excesses(6, specialty: "肿瘤科").isEmpty, "the specialty's override")
        #expect(policy.excesses(3, specialty: "心内科", phaseLoads: [.phase1: 2, .phase2: 9]).isEmpty, "phase II has no limit; I期 at its limit")
        #expect(policy.excesses(3, specialty: "心内科", phaseLoads: [.phase1: 3]) == [.init(phase: .phase1, load: 3, limit: 2)])
        #expect(
            policy.excesses(7, specialty: "心内科", phaseLoads: [.phase1: 5, .bioequivalence: 4])
                == [
                    .init(phase: .phase1, load: 5, limit: 2), .init(phase: nil, load: 7, limit: 5), .init(phase: .bioequivalence, load: 4, limit: 3),
                ],
            "by how far each is passed; at a tie all sites before a phase")
        #expect(policy.isOverloaded(1, specialty: "肿瘤科", phaseLoads: [.bioequivalence: 4]))
        #expect(!policy.isOverloaded(1, specialty: "肿瘤科"))
        #expect(policy.floor == 5)
    }

    @Test("stored by phase code; a version stored before phases had limits reads as none; a limit out of range is refused by name")
    func stored() throws {
        let data = try JSONEncoder().encode(Self.policy)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["byPhase"] as? [String: Int]) == ["phase_1": 2, "bioequivalence": 3])
        #expect(try JSONDecoder().decode(PILoadPolicy.self, from: data) == Self.policy)
        let old = try JSONDecoder().decode(PILoadPolicy.self, from: Data(#"{"threshold":4,"bySpecialty":{},"effectiveFrom":"2026-01-01"}"#.utf8))
        #expect(old == PILoadPolicy(threshold: 4, effectiveFrom: "2026-01-01"))
        let today = CivilDate(year: 2026, month: 12, day: 1)!
        #expect(Self.policy.problems(today: today).isEmpty)
        var wrong = Self.policy
        wrong.byPhase[.phase3] = 0
        #expect(wrong.problems(today: today).map(\.field) == ["byPhase"])
        #expect(wrong.problems(today: today).first?.chinese.contains("III期") == true)
    }
}
