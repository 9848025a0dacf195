import Prometheus
import Vapor

/// The app's Prometheus registry and the HTTP figures it records; one per application, so that
/// tests running several apps in one process do not share counters.
final class HTTPMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    // The series' names and help texts (the name is the parts joined by underscores); computed, as
    // Prometheus's descriptor is not Sendable.
    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered, by route pattern and status.")
    }
    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "http_request_duration", unitName: "seconds", helpText: "Time to answer an HTTP request, by route pattern.")
    }
    static var databaseUp: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "tongdao", metricName: "db_up", unitName: "", helpText: "1 when the last database ping answered.")
    }
    static var poolMaxConnections: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "tongdao", metricName: "db_pool_max", unitName: "connections",
            helpText: "Connections the pool may open (per event loop times event loops).")
    }
    static var pingDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "tongdao", metricName: "db_ping_duration", unitName: "seconds", helpText: "Round trip of the readiness ping.")
    }

    func record(method: String, route: String, status: UInt, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(
            descriptor: Self.requestDuration, labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets
        )
        .record(duration)
    }

    /// Database figures, refreshed whenever readiness is checked or metrics are scraped.
    func recordDatabase(up: Bool, pingDuration: Duration?, poolMaxConnections: Int, database: String) {
        let labels = [("database", database)]
        registry.makeGauge(descriptor: Self.databaseUp, labels: labels).set(to: up ? 1 : 0)
        registry.makeGauge(descriptor: Self.poolMaxConnections, labels: labels).set(to: Double(poolMaxConnections))
        if let pingDuration {
            registry.makeDurationHistogram(descriptor: Self.pingDuration, labels: labels, buckets: Self.latencyBuckets).record(pingDuration)
        }
    }

    func text() -> String { registry.emitToString() }
}

extension Application {
    private struct HTTPMetricsKey: StorageKey { typealias Value = HTTPMetrics }

    var httpMetrics: HTTPMetrics {
        if let metrics = storage[HTTPMetricsKey.self] { return metrics }
        let metrics = HTTPMetrics()
        storage[HTTPMetricsKey.self] = metrics
        return metrics
    }
}

/// Times every request and counts it by route *pattern* (never the raw path, which would let a
/// scanner blow up the number of series).
struct HTTPMetricsMiddleware: AsyncMiddleware {
    let metrics: HTTPMetrics

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await next.respond(to: request)
        let route: String
        if let matched = request.route {
            route = "/" + matched.path.map(\.description).joined(separator: "/")
        } else {
            route = response.status == .notFound ? "unmatched" : "static"
        }
        metrics.record(method: request.method.rawValue, route: route, status: response.status.code, duration: clock.now - start)
        return response
    }
}
