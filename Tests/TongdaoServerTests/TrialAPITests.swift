import Fluent
import Foundation
import Testing
import TongdaoCore
import TongdaoServer
import TongdaoStore
import TongdaoTestSupport
import TongdaoUseCases
import VaporTesting

@Suite("The trial registry over HTTP: problem details naming the field, versions, scope, the PI-load list")
struct TrialAPITests {
    struct Created: Decodable { var id: String }
    struct Detail: Decodable {
        struct Trial: Decodable {
            struct Site: Decodable { var id: String; var version: Int; var activatedOn: String? }
            struct Start: Decodable { var state: String; var level: String?; var daysLeft: Int? }
            var id: String
            var phase: String
            var start: Start
            var sites: [Site]
        }
        struct Event: Decodable { var type: String; var recordedBy: String? }
        var trial: Trial
        var events: [Event]
    }
    struct Load: Decodable {
        struct Investigator: Decodable { var name: String; var activeSites: Int; var overloaded: Bool }
        var overloaded: Int
        var named: Bool
        var investigators: [Investigator]
    }

    /// One JSON request as a bearer of `token`, naming `ifMatch` as the version it is based on.
    static func send(
        _ app: Application, _ method: HTTPMethod, _ path: String, _ body: [String: any Sendable]? = nil, token: String, ifMatch: Int? = nil
    ) async throws -> (HTTPStatus, Data, HTTPHeaders) {
        var answer: (HTTPStatus, Data, HTTPHeaders) = (.internalServerError, Data(), [:])
        var headers = bearer(token)
        if let ifMatch { headers.replaceOrAdd(name: .ifMatch, value: "\"\(ifMatch)\"") }
        try await app.testing().test(
            method, path, headers: headers,
            beforeRequest: { req in
                if let body {
                    req.headers.contentType = .json
                    req.body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
                }
            }
        ) { res in answer = (res.status, Data(res.body.readableBytesView), res.headers) }
        return answer
    }

    @Test(
        "register an institution, an investigator, a trial and its sites; refusals name the field; a stale site is 409",
        arguments: TestDatabase.enabled)
    func journey(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            let enterprises = try await Fixtures.enterprises(on: app.platform)
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            try await TestUsers.create("industry", role: .industryOfficer, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            func send(_ method: HTTPMethod, _ path: String, _ body: [String: any Sendable]? = nil, token: String, ifMatch: Int? = nil) async throws
                -> (HTTPStatus, Data, HTTPHeaders)
            { try await Self.send(app, method, path, body, token: token, ifMatch: ifMatch) }
            func fields(_ data: Data) -> [String] { (try? JSONDecoder().decode(ProblemBody.self, from: data))?.errors?.map(\.field) ?? [] }

            let (created, institutionBody, _) = try await send(
                .POST, "/api/v1/trial-institutions",
                [
                    "name": "复旦大学附属中山医院", "code": "12310000425005166U", "district": "310104", "grade": "3a", "drugFilingNumber": "药物临床机构备字2019001",
                    "drugFiledOn": "2019-12-20", "specialties": [["name": "肿瘤科", "filedOn": "2019-12-20"]],
                ], token: token)
            #expect(created == .created)
            let institution = try JSONDecoder().decode(Created.self, from: institutionBody).id
            let (duplicate, _, _) = try await send(
                .POST, "/api/v1/trial-institutions",
                [
                    "name": "x", "code": "12310000425005166U", "grade": "3a", "province": "江苏", "deviceFilingNumber": "械临机构备1",
                    "deviceFiledOn": "2020-01-02",
                ],
                token: token)
            #expect(duplicate == .conflict)
            let (_, investigatorBody, _) = try await send(
                .POST, "/api/v1/investigators",
                ["institutionId": institution, "name": "王明", "specialty": "肿瘤科", "title": "主任医师", "senior": true, "earlierTrials": 8], token: token)
            let investigator = try JSONDecoder().decode(Created.self, from: investigatorBody).id
            // A trial whose number is not a drug trial's is 422 naming the field.
            let (bad, badBody, _) = try await send(
                .POST, "/api/v1/trials",
                ["registrationNumber": "20261234", "title": "x", "kind": "drug", "phase": "phase_1", "sponsor": enterprises[0].uscc],
                token: token)
            #expect(bad == .unprocessableEntity && fields(badBody) == ["registrationNumber"])
            let approved = Fixtures.today.adding(days: -60).description
            let (made, trialBody, _) = try await send(
                .POST, "/api/v1/trials",
                [
                    "registrationNumber": "CTR20260042", "title": "注射用示例药物 I 期研究", "kind": "drug", "phase": "phase_1", "sponsor": enterprises[0].uscc,
                    "approvedOn": approved, "pilot": true,
                ], token: token)
            #expect(made == .created)
            let trial = try JSONDecoder().decode(Detail.self, from: trialBody).trial
            #expect(trial.start.state == "waiting" && trial.start.level == "amber" && trial.start.daysLeft == 24)
            let (again, _, _) = try await send(
                .POST, "/api/v1/trials",
                ["registrationNumber": "CTR20260042", "title": "x", "kind": "drug", "phase": "phase_1", "sponsor": enterprises[0].uscc], token: token)
            #expect(again == .conflict)
            // Sites: activation before ethics approval names the field; the site as stored; a change needs its version.
            let (order, orderBody, _) = try await send(
                .POST, "/api/v1/trials/\(trial.id)/sites",
                [
                    "institutionId": institution, "investigatorId": investigator, "role": "lead",
                    "ethicsApprovedOn": Fixtures.today.adding(days: -5).description,
                    "activatedOn": Fixtures.today.adding(days: -9).description,
                ], token: token)
            #expect(order == .unprocessableEntity && fields(orderBody) == ["activatedOn"])
            let (added, addedBody, _) = try await send(
                .POST, "/api/v1/trials/\(trial.id)/sites", ["institutionId": institution, "investigatorId": investigator, "role": "lead"],
                token: token)
            #expect(added == .created)
            let site = try #require(try JSONDecoder().decode(Detail.self, from: addedBody).trial.sites.first)
            let change: [String: any Sendable] = ["investigatorId": investigator, "role": "lead", "activatedOn": Fixtures.today.description]
            #expect(try await send(.PUT, "/api/v1/trials/\(trial.id)/sites/\(site.id)", change, token: token).0 == .preconditionRequired)
            let (changed, changedBody, _) = try await send(
                .PUT, "/api/v1/trials/\(trial.id)/sites/\(site.id)", change, token: token, ifMatch: site.version)
            #expect(changed == .ok)
            let detail = try JSONDecoder().decode(Detail.self, from: changedBody)
            #expect(detail.trial.sites.first?.activatedOn == Fixtures.today.description)
            #expect(detail.events.map(\.type) == ["registered", "site_added", "site_changed"] && detail.events.allSatisfy { $0.recordedBy != nil })
            #expect(
                try await send(.PUT, "/api/v1/trials/\(trial.id)/sites/\(site.id)", change, token: token, ifMatch: site.version).0 == .conflict,
                "a stale version")
            // Reads: the trial, the investigator with their sites; an unknown id is 404.
            #expect(try await send(.GET, "/api/v1/trials/\(trial.id)", token: token).0 == .ok)
            #expect(try await send(.GET, "/api/v1/trials/\(UUID().uuidString)", token: token).0 == .notFound)
            #expect(try await send(.GET, "/api/v1/investigators/\(investigator)", token: token).0 == .ok)
            #expect(try await send(.GET, "/api/v1/trial-institutions/\(institution)", token: token).0 == .ok)
            struct Times: Decodable {
                struct Summary: Decodable {
                    var sites: Int; var activationSites: Int; var activationMedianDays: Double?; var ethicsMedianDays: Double?
                }
                var overall: Summary
            }
            let (_, timesBody, _) = try await send(.GET, "/api/v1/trial-institutions/\(institution)/site-times", token: token)
            let times = try JSONDecoder().decode(Times.self, from: timesBody).overall
            #expect(times.sites == 1 && times.activationSites == 0 && times.activationMedianDays == nil && times.ethicsMedianDays == nil)
            #expect(try await send(.GET, "/api/v1/trial-institutions/\(UUID().uuidString)/site-times", token: token).0 == .notFound)
            // The PI-load list: by name for the regulator, a count for the industry department.
            let (_, loadBody, _) = try await send(.GET, "/api/v1/supervision/pi-load", token: token)
            let load = try JSONDecoder().decode(Load.self, from: loadBody)
            #expect(load.named && load.overloaded == 0)
            let (_, countBody, _) = try await send(.GET, "/api/v1/supervision/pi-load", token: try await TestUsers.token("industry", on: app))
            let counted = try JSONDecoder().decode(Load.self, from: countBody)
            #expect(!counted.named && counted.investigators.isEmpty)
            // An institution's office of another institution sees nothing of this trial.
            let other = try await Fixtures.trialInstitution(code: "12310000425005999X", on: app.platform)
            try await TestUsers.create("office", role: .trialInstitutionOfficer, scope: .institution(other.id.uuidString), on: app)
            let office = try await TestUsers.token("office", on: app)
            #expect(try await send(.GET, "/api/v1/trials/\(trial.id)", token: office).0 == .notFound)
            #expect(try await send(.GET, "/api/v1/trial-institutions/\(institution)", token: office).0 == .notFound)
            #expect(
                try await send(.PUT, "/api/v1/trials/\(trial.id)/sites/\(site.id)", change, token: office, ifMatch: site.version + 1).0 == .notFound)

            // 王明 registered twice: listed as a likely duplicate, merged (his site moves), the merge undone.
            let (_, twinBody, _) = try await send(
                .POST, "/api/v1/investigators",
                ["institutionId": institution, "name": "王明", "specialty": "肿瘤科", "title": "主任医师", "senior": true, "earlierTrials": 2], token: token)
            let twin = try JSONDecoder().decode(Created.self, from: twinBody).id
            struct Pairs: Decodable {
                struct Pair: Decodable { var first: Created; var second: Created; var matching: [String] }
                var items: [Pair]
            }
            let (_, pairsBody, _) = try await send(.GET, "/api/v1/supervision/investigator-duplicates", token: token)
            let pairs = try JSONDecoder().decode(Pairs.self, from: pairsBody).items
            #expect(pairs.count == 1 && Set([pairs[0].first.id, pairs[0].second.id]) == [investigator, twin] && pairs[0].matching == ["专业", "职称"])
            #expect(try await send(.GET, "/api/v1/supervision/investigator-duplicates", token: office).0 == .ok)
            #expect(
                try await send(.GET, "/api/v1/supervision/investigator-duplicates", token: try await TestUsers.token("industry", on: app)).0
                    == .forbidden)
            let (noReason, noReasonBody, _) = try await send(
                .POST, "/api/v1/investigators/\(twin)/merges", ["duplicateId": investigator, "reason": ""], token: token)
            #expect(noReason == .unprocessableEntity && fields(noReasonBody) == ["reason"])
            struct Merge: Decodable { var id: String; var survivorId: String; var siteIds: [String]; var undone: Bool; var mergedBy: String? }
            let (merged, mergeBody, _) = try await send(
                .POST, "/api/v1/investigators/\(twin)/merges", ["duplicateId": investigator, "reason": "同一工号"], token: token)
            #expect(merged == .created)
            let merge = try JSONDecoder().decode(Merge.self, from: mergeBody)
            #expect(merge.survivorId == twin && merge.siteIds == [site.id] && !merge.undone && merge.mergedBy != nil)
            struct Person: Decodable { struct Record: Decodable { var activeSites: Int; var mergedInto: String? }; var investigator: Record }
            let (_, personBody, _) = try await send(.GET, "/api/v1/investigators/\(investigator)", token: token)
            #expect(try JSONDecoder().decode(Person.self, from: personBody).investigator.mergedInto == twin)
            let (_, twinAfter, _) = try await send(.GET, "/api/v1/investigators/\(twin)", token: token)
            #expect(try JSONDecoder().decode(Person.self, from: twinAfter).investigator.activeSites == 1)
            #expect(try await send(.GET, "/api/v1/investigators/\(twin)/merges", token: token).0 == .ok)
            #expect(try await send(.POST, "/api/v1/investigator-merges/\(merge.id)/undo", token: office).0 == .notFound)
            let (undone, undoneBody, _) = try await send(.POST, "/api/v1/investigator-merges/\(merge.id)/undo", token: token)
            let undoneMerge = try JSONDecoder().decode(Merge.self, from: undoneBody)
            #expect(undone == .ok && undoneMerge.undone)
            #expect(try await send(.POST, "/api/v1/investigator-merges/\(merge.id)/undo", token: token).0 == .conflict)
            #expect(try await send(.POST, "/api/v1/investigator-merges/\(UUID().uuidString)/undo", token: token).0 == .notFound)
        }
    }

    struct SheetReport: Decodable {
        struct Duplicate: Decodable { var row: Int; var investigatorId: String }
        var sheet: String
        var committed: Bool
        var added: Int
        var unchanged: Int
        var likelyDuplicates: [Duplicate]
    }

    @Test(
        "trial-registry sheets over HTTP: a dry run reports, rejected rows are 422 naming rows[N].列名, an import is 201, the export imports back unchanged",
        arguments: TestDatabase.enabled)
    func sheets(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("regulator", role: .cityRegulator, scope: .city, on: app)
            let token = try await TestUsers.token("regulator", on: app)
            func post(_ sheet: String, _ rows: [[String]], dryRun: Bool) async throws -> (HTTPStatus, Data) {
                var answer: (HTTPStatus, Data) = (.internalServerError, Data())
                var headers = bearer(token)
                headers.replaceOrAdd(name: .contentType, value: "text/csv")
                try await app.testing().test(
                    .POST, "/api/v1/trial-registry/\(sheet)/imports?dryRun=\(dryRun)", headers: headers,
                    beforeRequest: { req in req.body = ByteBuffer(string: CSV.render(rows)) }
                ) { res in answer = (res.status, Data(res.body.readableBytesView)) }
                return answer
            }
            let header = TrialSheet.institutions.columns.map(\.rawValue)
            let good = ["上海市胸科医院", "12310000425000005", "徐汇区", "", "三级甲等", "药物临床机构备字2020005", "2020-01-02", "", "", "胸外科：2020-01-02"]
            var bad = good
            bad[4] = "特等"
            let (dryStatus, dryBody) = try await post("institutions", [header, good], dryRun: true)
            #expect(dryStatus == .ok)
            #expect(try JSONDecoder().decode(SheetReport.self, from: dryBody).added == 1)
            let (refused, problem) = try await post("institutions", [header, good, bad], dryRun: false)
            #expect(refused == .unprocessableEntity)
            #expect((try? JSONDecoder().decode(ProblemBody.self, from: problem))?.errors?.map(\.field) == ["rows[3].医院等级"])
            let (created, body) = try await post("institutions", [header, good], dryRun: false)
            #expect(created == .created)
            let report = try JSONDecoder().decode(SheetReport.self, from: body)
            #expect(report.committed && report.added == 1 && report.sheet == "institutions")
            var exported = Data()
            try await app.testing().test(.GET, "/api/v1/trial-registry/institutions/export?format=csv", headers: bearer(token)) { res in
                #expect(res.status == .ok && res.headers.contentType?.description.hasPrefix("text/csv") == true)
                exported = Data(res.body.readableBytesView)
            }
            let rows = try CSV.rows(of: exported).rows
            var stored = good
            stored[3] = "上海"
            #expect(rows.count == 2 && rows[1] == stored, "the row as imported, its province filled in")
            let (again, againBody) = try await post("institutions", rows, dryRun: false)
            #expect(again == .created)
            #expect(try JSONDecoder().decode(SheetReport.self, from: againBody).unchanged == 1)
            try await app.testing().test(.GET, "/api/v1/trial-registry/sponsors/export", headers: bearer(token)) { res in
                #expect(res.status == .badRequest)
            }
        }
    }

    @Test(
        "the PI-load policy over HTTP: phase limits are put by phase code and read back; out of range or an unknown phase is a 400",
        arguments: TestDatabase.enabled)
    func phaseLimits(database: TestDatabase) async throws {
        try await withTongdao(database) { app in
            try await TestUsers.create("keeper", role: .cityAdmin, scope: .city, on: app)
            let token = try await TestUsers.token("keeper", on: app)
            let day = Fixtures.today.adding(days: 1).description
            let (put, _, _) = try await Self.send(
                app, .PUT, "/api/v1/settings/pi-load", ["threshold": 5, "byPhase": ["phase_1": 2, "bioequivalence": 3], "effectiveFrom": day],
                token: token)
            #expect(put == .ok)
            let (got, body, _) = try await Self.send(app, .GET, "/api/v1/settings/pi-load", token: token)
            #expect(got == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let versions = try #require(object["versions"] as? [[String: Any]])
            #expect(versions.last?["byPhase"] as? [String: Int] == ["phase_1": 2, "bioequivalence": 3])
            #expect((object["inForce"] as? [String: Any])?["byPhase"] == nil, "the standard policy, in force today, limits no phase")
            for wrong in [["phase_1": 0], ["phase_9": 2]] {
                let (status, _, _) = try await Self.send(
                    app, .PUT, "/api/v1/settings/pi-load", ["threshold": 5, "byPhase": wrong, "effectiveFrom": day], token: token)
                #expect(status == .badRequest, "\(wrong)")
            }
        }
    }

}
