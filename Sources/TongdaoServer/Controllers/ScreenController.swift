import Foundation
import NIOCore
import TongdaoCore
import TongdaoUseCases
import Vapor

/// `/screen` (the big screen), `/screen/panels` (its redrawn part) and `GET /live`, the stream of
/// application events as Server-Sent Events, each in the viewer's scope, narrowed to one district of
/// it by `?district=` as the dashboard is (a screen in a district's hall).
enum ScreenController {
    @Sendable static func show(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let district = req.dashboardDistrict
        let summary = try await req.platform.dashboard.summary(district: district, by: caller)
        let delta = try await deltaFigures(viewer, caller, on: req)
        let items = try await recent(district: district, by: caller, on: req)
        return HTMLResponse.ok(
            ScreenPage.render(summary: summary, delta: delta, items: items, district: district, now: req.platform.clock.now(), viewer: viewer))
    }

    @Sendable static func panels(req: Request) async throws -> Response {
        let (viewer, caller) = try req.requireViewer(allowedTo: .readProducts)
        let summary = try await req.platform.dashboard.summary(district: req.dashboardDistrict, by: caller)
        let delta = try await deltaFigures(viewer, caller, on: req)
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: ScreenPage.panelsFragment(summary, delta: delta)))
    }

    /// The Delta map's figures for a viewer who reads the Delta (as on the dashboard), else none.
    static func deltaFigures(_ viewer: Viewer, _ caller: Caller, on req: Request) async throws -> DeltaMapFigures? {
        viewer.may(.readDelta) ? try await req.platform.deltaMap.figures(by: caller) : nil
    }

    static func recent(district: String?, by caller: Caller, on req: Request) async throws -> [ScreenPage.Item] {
        let dashboard = req.platform.dashboard
        let names = try await dashboard.regionNames()
        return try await dashboard.recentEvents(district: district, limit: ScreenPage.eventsShown, by: caller)
            .map { ScreenPage.Item($0, districtNames: names) }
    }

    /// How often an idle stream sends a comment line.
    static let heartbeat = Duration.seconds(15)

    /// `GET /live`: `retry`, then a `recent` event (the latest events, newest first), then a
    /// `notice` event for each event recorded in the viewer's scope, and a comment line every 15 s.
    /// After the PostgreSQL listener lost notices, a fresh `recent` event replaces the list.
    @Sendable static func live(req: Request) async throws -> Response {
        let caller = try req.requireCaller()
        let feed = req.application.liveFeed
        let district = req.dashboardDistrict
        let dashboard = req.platform.dashboard
        let scope = try await dashboard.liveScope(district: district, by: caller)
        let names = try await dashboard.regionNames()
        let clock = req.platform.clock
        // Subscribed before the first read, so nothing recorded meanwhile is missed.
        let (messages, continuation, cancel) = feed.subscribe(scope: scope, user: caller.userID, credential: req.tokenID ?? req.webSession?.id)
        let first = try await recent(district: district, by: caller, on: req)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/event-stream; charset=utf-8")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        let body = Response.Body(managedAsyncStream: { writer in
            let beats = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: heartbeat)
                    continuation.yield(.heartbeat)
                }
            }
            defer {
                beats.cancel()
                cancel()
            }
            try await writer.write(.buffer(ByteBuffer(string: "retry: 2000\n\n" + event("recent", id: nil, first))))
            for await message in messages {
                let text: String
                switch message {
                case .notice(let notice):
                    text = event("notice", id: notice.id.uuidString, ScreenPage.Item(notice, districtNames: names))
                case .resync:
                    let latest = try await dashboard.recentEvents(district: district, limit: ScreenPage.eventsShown, by: caller)
                    text = event("recent", id: nil, latest.map { ScreenPage.Item($0, districtNames: names) })
                case .heartbeat:
                    text = ": \(ShanghaiTime.timeOfDay(clock.now()))\n\n"
                }
                try await writer.write(.buffer(ByteBuffer(string: text)))
            }
        })
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One Server-Sent Event: JSON is one line, so `data:` needs no splitting.
    static func event(_ name: String, id: String?, _ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        return (id.map { "id: \($0)\n" } ?? "") + "event: \(name)\ndata: \(json)\n\n"
    }
}
