import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import Vapor

@Suite("Sharing a closed inspection's result with a partner province: field by field, evidence under a commitment, withdrawn at once")
struct DeltaShareUseCaseTests {
    static func fields(_ error: (any Error)?) -> [String] { (error as? UseCaseError)?.problems.map(\.field) ?? [] }

    @Test(
        "an open inspection, no field, evidence without a commitment: refused at the field; the partner reads what was shared with it and nothing else; a withdrawn share is 404 to it at once",
        arguments: TestDatabase.enabled)
    func sharing(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            try await ReferenceData.load(on: app.db)
            let platform = app.testPlatform(clock: Fixtures.clock)
            let world = try await DeltaFixture.parties(on: platform)
            let shares = platform.deltaShares
            let closed = try await DeltaFixture.inspection(of: world.enterprises[1], closed: true, on: app.db)
            let open = try await DeltaFixture.inspection(of: world.enterprises[4], closed: false, on: app.db)
            let jiangsu = try await Fixtures.caller("jiangsu", .partnerRegulator, .province(.jiangsu), on: platform)
            let zhejiang = try await Fixtures.caller("zhejiang", .partnerRegulator, .province(.zhejiang), on: platform)
            let audits = try await AuditEntryModel.query(on: app.db).count()

            let notClosed = DeltaShareInput(inspection: open.uuidString, province: "JS", fields: ["conclusion"])
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await shares.share(notClosed, by: Fixtures.caller) }) == ["inspection"])
            let nothing = DeltaShareInput(inspection: closed.uuidString, province: "JS", fields: [])
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await shares.share(nothing, by: Fixtures.caller) }) == ["fields"])
            let evidence = DeltaShareInput(inspection: closed.uuidString, province: "JS", fields: ["conclusion", "findings", "evidence"])
            let refused = await #expect(throws: UseCaseError.self) { try await shares.share(evidence, by: Fixtures.caller) }
            #expect(Self.fields(refused) == ["fields"] && refused?.problems.first?.chinese.contains("保密承诺") == true)
            let home = DeltaShareInput(inspection: closed.uuidString, province: "SH", fields: ["conclusion"])
            #expect(Self.fields(await #expect(throws: UseCaseError.self) { try await shares.share(home, by: Fixtures.caller) }) == ["province"])
            await #expect(throws: UseCaseError.forbidden(.writeDelta, role: .partnerRegulator)) { try await shares.share(evidence, by: jiangsu) }
            #expect(try await AuditEntryModel.query(on: app.db).count() == audits)

            // Zhejiang: conclusion and findings without a commitment; Jiangsu: with its commitment, the evidence too.
            let toZhejiang = try await shares.share(
                DeltaShareInput(inspection: closed.uuidString, province: "ZJ", fields: ["conclusion", "findings"], note: "供浙江省局参考"),
                by: Fixtures.caller)
            #expect(toZhejiang.conclusion == .rectify && toZhejiang.findings.count == 2 && toZhejiang.findings.allSatisfy { $0.evidence == nil })
            var commitment = DeltaCommitmentInput(province: "JS", signedOn: "2026-12-01", reference: "苏沪药监保密〔2026〕1号")
            #expect(
                Self.fields(await #expect(throws: UseCaseError.self) { try await shares.recordCommitment(commitment, by: Fixtures.caller) })
                    == ["signedOn"], "not a day to come")
            commitment.signedOn = "2026-06-01"
            let signed = try await shares.recordCommitment(commitment, by: Fixtures.caller)
            #expect(signed.inForce && signed.province == .jiangsu)
            let toJiangsu = try await shares.share(evidence, by: Fixtures.caller)
            #expect(toJiangsu.findings.first?.evidence == "抽查 2026 年 9 月压差记录，缺 3 天")
            await #expect(throws: UseCaseError.self) { try await shares.share(evidence, by: Fixtures.caller) }

            // Each partner reads its own share only; a findings-only share shows no conclusion.
            #expect(try await shares.list(by: jiangsu).map(\.id) == [toJiangsu.id])
            #expect(try await shares.list(by: zhejiang).map(\.id) == [toZhejiang.id])
            await #expect(throws: UseCaseError.notFound(.deltaShare)) { try await shares.detail(id: toZhejiang.id, by: jiangsu) }
            #expect(try await shares.commitments(by: zhejiang).isEmpty)
            #expect(try await shares.commitments(by: jiangsu).count == 1)

            // Withdrawn: gone for Jiangsu at once; the city still reads it, with why.
            await #expect(throws: UseCaseError.versionRequired(.deltaShare)) {
                try await shares.withdraw(id: toJiangsu.id, reason: "发现证据记录有误", expecting: nil, by: Fixtures.caller)
            }
            let withdrawn = try await shares.withdraw(id: toJiangsu.id, reason: "发现证据记录有误", expecting: toJiangsu.version, by: Fixtures.caller)
            #expect(withdrawn.withdrawnOn == Fixtures.today && withdrawn.withdrawReason == "发现证据记录有误")
            await #expect(throws: UseCaseError.notFound(.deltaShare)) { try await shares.detail(id: toJiangsu.id, by: jiangsu) }
            #expect(try await shares.list(by: jiangsu).isEmpty)
            #expect(try await shares.detail(id: toJiangsu.id, by: Fixtures.caller).withdrawnOn != nil)
            let twice = await #expect(throws: UseCaseError.self) {
                try await shares.withdraw(id: toJiangsu.id, reason: "再次", expecting: withdrawn.version, by: Fixtures.caller)
            }
            #expect((twice as? UseCaseError).map { if case .conflict = $0 { true } else { false } } == true)
            #expect(
                try await AuditEntryModel.query(on: app.db).filter(
                    \.$action ~~ ["delta.share.create", "delta.share.withdraw", "delta.commitment.record"]
                )
                .count() == 4)
        }
    }
}
