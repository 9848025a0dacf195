import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases

@Suite("Investigators registered twice: likely duplicates listed, merged with their sites, the merge audited and undone")
struct InvestigatorMergeTests {
    static let today = TrialTests.today

    @Test(
        "a merge moves the duplicate's sites and loads to the record kept, hides the duplicate, and an undo puts it all back",
        arguments: TestDatabase.enabled)
    func mergeAndUndo(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await TrialTests.world(app)
            let trials = world.platform.trials
            // The same 王明 at 中山医院 registered a second time, with the same specialty and title.
            let twin = try await trials.createInvestigator(
                InvestigatorInput(
                    institutionID: world.xuhui.id.uuidString, name: "王明", specialty: "肿瘤科", title: "主任医师", senior: true, earlierTrials: 3),
                by: Fixtures.caller)
            // Another 王明 there, of another specialty and title: a namesake, not a duplicate.
            _ = try await trials.createInvestigator(
                InvestigatorInput(
                    institutionID: world.xuhui.id.uuidString, name: "王明", specialty: "眼科", title: "住院医师", senior: false, earlierTrials: 0),
                by: Fixtures.caller)
            var twinSites: [UUID] = []
            for index in 0..<2 {
                let trial = try await TrialTests.drugTrial("CTR2026\(2000 + index)", sponsor: world.enterprises[0], on: world.platform)
                let detail = try await trials.addSite(
                    SiteInput(
                        institutionID: world.xuhui.id.uuidString, investigatorID: twin.id.uuidString, role: "lead",
                        ethicsApprovedOn: Self.today.adding(days: -20).description, activatedOn: Self.today.adding(days: -10).description),
                    to: trial.trial.id, by: Fixtures.caller)
                twinSites += detail.trial.sites.map(\.id)
            }
            let keptTrial = try await TrialTests.drugTrial("CTR20262009", sponsor: world.enterprises[1], on: world.platform)
            _ = try await trials.addSite(
                SiteInput(
                    institutionID: world.xuhui.id.uuidString, investigatorID: world.oncologist.id.uuidString, role: "lead",
                    ethicsApprovedOn: Self.today.adding(days: -20).description, activatedOn: Self.today.adding(days: -10).description),
                to: keptTrial.trial.id, by: Fixtures.caller)

            // Listed as likely duplicates: the pair that shares specialty and title, not the namesake.
            let pairs = try await trials.likelyDuplicates(by: Fixtures.caller)
            #expect(pairs.count == 1)
            #expect(Set([pairs.first?.first.id, pairs.first?.second.id]) == [world.oncologist.id, twin.id])
            #expect(pairs.first?.matching == ["专业", "职称"])

            // Merged: the sites move, both loads are counted again, one audit row, an event on each trial.
            let audited = try await AuditEntryModel.query(on: app.db).count()
            let merge = try await trials.merge(duplicate: twin.id.uuidString, into: world.oncologist.id, reason: "同一工号 A1024", by: Fixtures.caller)
            #expect(Set(merge.siteIDs) == Set(twinSites) && !merge.undone)
            #expect(try await AuditEntryModel.query(on: app.db).count() == audited + 1)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "investigator.merge").count() == 1)
            let kept = try await trials.investigator(id: world.oncologist.id, by: Fixtures.caller)
            #expect(kept.investigator.activeSites == 3 && kept.sites.count == 3)
            let merged = try await trials.investigator(id: twin.id, by: Fixtures.caller)
            #expect(merged.investigator.mergedInto == world.oncologist.id && merged.investigator.activeSites == 0 && merged.sites.isEmpty)
            try await TrialTests.loadsAgree(app)
            let moved = try #require(try await TrialStore.trial(registrationNumber: "CTR20262000", on: app.db))
            let events = try await trials.detail(id: try moved.requireID(), by: Fixtures.caller).events
            #expect(events.last?.kind == .siteChanged && events.last?.detail?.contains("研究者合并") == true)
            // Out of the lists, the likely duplicates and the import's matching; still found by its id.
            let listed = try await trials.investigators(institution: world.xuhui.id.uuidString, by: Fixtures.caller).items.map(\.id)
            #expect(!listed.contains(twin.id) && listed.contains(world.oncologist.id))
            #expect(try await trials.likelyDuplicates(by: Fixtures.caller).isEmpty)
            #expect(try await trials.merges(of: twin.id, by: Fixtures.caller).map(\.id) == [merge.id])
            // A merged record takes no new site.
            let another = try await TrialTests.drugTrial("CTR20262010", sponsor: world.enterprises[0], on: world.platform)
            await #expect(throws: UseCaseError.self) {
                try await trials.addSite(
                    SiteInput(institutionID: world.xuhui.id.uuidString, investigatorID: twin.id.uuidString, role: "lead"), to: another.trial.id,
                    by: Fixtures.caller)
            }

            // Undone: the sites go back, the loads with them, the record is listed again.
            let undone = try await trials.undoMerge(merge.id, by: Fixtures.caller)
            #expect(undone.undone && undone.undoneBy != nil)
            #expect(try await trials.investigator(id: twin.id, by: Fixtures.caller).investigator.activeSites == 2)
            #expect(try await trials.investigator(id: twin.id, by: Fixtures.caller).investigator.mergedInto == nil)
            #expect(try await trials.investigator(id: world.oncologist.id, by: Fixtures.caller).investigator.activeSites == 1)
            #expect(try await trials.investigators(institution: world.xuhui.id.uuidString, by: Fixtures.caller).items.map(\.id).contains(twin.id))
            try await TrialTests.loadsAgree(app)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "investigator.merge.undo").count() == 1)
            // Once only.
            await #expect(throws: UseCaseError.self) { try await trials.undoMerge(merge.id, by: Fixtures.caller) }
        }
    }

    @Test(
        "a merge is refused naming the field: no reason, oneself, another institution, a merged record; nothing is written",
        arguments: TestDatabase.enabled)
    func refusals(database: TestDatabase) async throws {
        try await database.withMigratedApplication { app in
            let world = try await TrialTests.world(app)
            let trials = world.platform.trials
            let twin = try await trials.createInvestigator(
                InvestigatorInput(
                    institutionID: world.xuhui.id.uuidString, name: "王明", specialty: "肿瘤科", title: "主任医师", senior: true, earlierTrials: 3),
                by: Fixtures.caller)
            func field(_ body: () async throws -> Void) async -> String? {
                do {
                    try await body()
                    return nil
                } catch let error as UseCaseError {
                    return error.problems.first?.field
                } catch {
                    return "\(error)"
                }
            }
            let audited = try await AuditEntryModel.query(on: app.db).count()
            #expect(
                await field { _ = try await trials.merge(duplicate: twin.id.uuidString, into: world.oncologist.id, reason: " ", by: Fixtures.caller) }
                    == "reason")
            #expect(
                await field {
                    _ = try await trials.merge(
                        duplicate: world.oncologist.id.uuidString, into: world.oncologist.id, reason: "同一人", by: Fixtures.caller)
                } == "duplicateId")
            #expect(
                await field {
                    _ = try await trials.merge(
                        duplicate: world.cardiologist.id.uuidString, into: world.oncologist.id, reason: "同一人", by: Fixtures.caller)
                } == "duplicateId")
            #expect(
                await field { _ = try await trials.merge(duplicate: "not-an-id", into: world.oncologist.id, reason: "同一人", by: Fixtures.caller) }
                    == "duplicateId")
            #expect(try await AuditEntryModel.query(on: app.db).count() == audited)
            // Merged once, it is merged no more, and takes no merge into it.
            _ = try await trials.merge(duplicate: twin.id.uuidString, into: world.oncologist.id, reason: "同一人", by: Fixtures.caller)
            #expect(
                await field {
                    _ = try await trials.merge(duplicate: twin.id.uuidString, into: world.oncologist.id, reason: "同一人", by: Fixtures.caller)
                } == "duplicateId")
            #expect(
                await field {
                    _ = try await trials.merge(duplicate: world.oncologist.id.uuidString, into: twin.id, reason: "同一人", by: Fixtures.caller)
                } != nil)
            // An institution's office merges its own people; another institution's are not found; a sponsor may not.
            let office = Caller.user(
                id: UUID(), username: "pudong.office", role: .trialInstitutionOfficer, scope: .institution(world.pudong.id.uuidString))
            await #expect(throws: UseCaseError.notFound(.investigator)) {
                try await trials.merge(duplicate: twin.id.uuidString, into: world.oncologist.id, reason: "同一人", by: office)
            }
            #expect(try await trials.likelyDuplicates(by: office).isEmpty)
            let sponsor = Caller.user(id: UUID(), username: "sponsor", role: .enterpriseUser, scope: .enterprise(world.enterprises[0].uscc))
            await #expect(throws: UseCaseError.forbidden(.writeTrialRegistry, role: .enterpriseUser)) {
                try await trials.likelyDuplicates(by: sponsor)
            }
            #expect(try await trials.merges(of: world.oncologist.id, by: sponsor).allSatisfy { $0.mergedBy == nil }, "who merged is for the keepers")
        }
    }
}
