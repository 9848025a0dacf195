import FluentKit
import Foundation
import TongdaoCore

/// The demo's landing projects (issue 20 item 8): a dozen of the demo city's approved products made
/// at sites in their districts' parks — planned, building and producing —, the problems raised
/// about them (a few resolved, one at a meeting, one overdue), and three meetings (会商) of the
/// industry department and the regulator with their decisions.
extension DemoService {
    static let landingProblems: [(title: String, detail: String, owner: String)] = [
        ("洁净厂房验收进度滞后", "十万级洁净车间装修已完成，第三方检测排期较晚，影响生产许可现场检查安排。", "区生态环境局、市药监局医疗器械生产监管处"),
        ("生产许可申报资料咨询", "企业首次申请医疗器械生产许可，对委托生产质量协议的要求把握不准。", "市药监局医疗器械生产监管处"),
        ("产业化用地指标", "扩产需新增约20亩工业用地，园区现有储备地块规划用途待调整。", "区规划资源局"),
        ("关键原材料进口通关", "进口高分子原材料通关时间较长，影响试生产排期。", "海关、区商务委"),
        ("首台套应用推广", "产品已获批上市，希望推动进入本市三级医院试用。", "市卫生健康委、市经信委"),
    ]

    public static func generateLanding(today: CivilDate, now: Date, seed: UInt64 = DemoCity.seed, on db: any Database) async throws -> Int {
        var random = SplitMix64(seed: seed &+ 27)
        let marketed = try await AdverseEventStore.marketedProducts(scope: .everything, on: db).prefix(12)
        let models = try await ProductModel.query(on: db).filter(\.$id ~~ marketed.map(\.id)).all()
        var instant = now.addingTimeInterval(-150 * 86_400)
        var projects: [LandingProjectModel] = []
        for (index, product) in models.enumerated() {
            instant = instant.addingTimeInterval(86_400 * 7)
            let project = LandingProjectModel()
            project.id = TimeOrderedID.make(now: instant)
            project.productID = try product.requireID()
            project.enterpriseID = product.$enterprise.id
            project.uscc = product.uscc
            project.district = product.district
            project.park = product.park
            project.site = "\(ReferenceData.label(of: .district(product.district)) ?? "")产业园\(index + 1)号地块\(["一期厂房", "标准厂房", "研发生产楼"][index % 3])"
            let status: LandingStatus = index % 3 == 0 ? .producing : index % 3 == 1 ? .building : .planned
            project.status = status.rawValue
            project.plannedOn = today.adding(days: status == .producing ? -120 : 60 + Int(random.next() % 240)).description
            project.producingOn = status == .producing ? today.adding(days: -100 + index).description : nil
            project.investment = 2_000 + Int(random.next() % 48) * 500
            project.recordedBy = index % 2 == 0 ? "user:industry" : "user:pudong"
            project.recordedOn = ShanghaiTime.day(of: instant).description
            project.version = 1
            try await project.create(on: db)
            projects.append(project)
        }
        // Three meetings of the industry department and the regulator, each taking up four projects.
        var meetings: [(id: UUID, projects: [UUID])] = []
        for round in 0..<min(3, projects.count / 4) {
            let meeting = LandingMeetingModel()
            meeting.id = TimeOrderedID.make(now: now.addingTimeInterval(Double(-90 + round * 30) * 86_400))
            meeting.heldOn = today.adding(days: -90 + round * 30).description
            meeting.subject = "第\(["一", "二", "三"][round])次创新产品产业化落地会商"
            meeting.attendees = "市经信委生物医药产业处、市药监局医疗器械生产监管处、相关区经委和园区"
            meeting.decisions = "一、对洁净厂房验收开辟绿色通道，区生态环境局两周内完成检测。\n二、市药监局对首次生产许可申请提前介入指导。\n三、用地问题由区规划资源局牵头研究，下次会商报告进展。"
            meeting.recordedBy = "user:industry"
            meeting.version = 1
            try await meeting.create(on: db)
            let linked = projects[(round * 4)..<(round * 4 + 4)].compactMap(\.id)
            try await LandingStore.link(meeting: try meeting.requireID(), projects: linked, on: db)
            meetings.append((try meeting.requireID(), linked))
        }
        // Problems: one or two on most projects; the first of each met project resolved at its meeting,
        // one open past its day.
        var count = 0
        for (index, project) in projects.enumerated() where index % 4 != 3 {
            let projectID = try project.requireID()
            for offset in 0..<(index % 2 == 0 ? 2 : 1) {
                let item = landingProblems[(index + offset) % landingProblems.count]
                let problem = LandingProblemModel()
                problem.id = TimeOrderedID.make(now: instant.addingTimeInterval(Double(count) * 60))
                problem.projectID = projectID
                problem.title = item.title
                problem.detail = item.detail
                problem.owner = item.owner
                problem.raisedBy = index % 2 == 0 ? "user:pudong" : "user:zhangjiang"
                problem.raisedOn = today.adding(days: -100 + index * 3).description
                problem.dueOn = today.adding(days: index == 1 ? -5 : 20 + index).description
                let meeting = meetings.first { $0.projects.contains(projectID) }
                if offset == 0, index != 1, let meeting {
                    problem.status = LandingProblemStatus.resolved.rawValue
                    problem.resolution = "经会商，相关部门已按决定办理完毕。"
                    problem.resolvedBy = "user:industry"
                    problem.resolvedOn = today.adding(days: -80 + index).description
                    problem.meetingID = meeting.id
                } else {
                    problem.status = LandingProblemStatus.open.rawValue
                }
                problem.version = 1
                try await problem.create(on: db)
                count += 1
            }
        }
        return projects.count
    }
}
