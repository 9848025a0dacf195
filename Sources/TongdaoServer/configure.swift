import Fluent
import TongdaoUseCases
import Foundation
import TongdaoStore
import Vapor

/// Wires a Vapor application: database, middleware, routes. Touches no data; see `prepareDatabase`.
public func configure(_ app: Application, configuration: AppConfiguration) async throws {
    app.tongdaoConfiguration = configuration
    let (factory, id) = try Store.configuration(for: configuration.database)
    app.databases.use(factory, as: id, isDefault: true)
    for migration in StoreMigrations.all {
        app.migrations.add(migration)
    }

    switch configuration.database {
    case .postgres(let url):
        app.liveFeed = LiveFeed(listensToDatabase: true)
        app.lifecycle.use(LiveListener(feed: app.liveFeed, configuration: try Store.connectionConfiguration(postgres: url)))
    case .sqliteFile, .sqliteMemory:
        app.liveFeed = LiveFeed(listensToDatabase: false)
        app.lifecycle.use(LiveFeedCloser(feed: app.liveFeed))
    }

    app.platform = Platform(
        database: app.db, clock: configuration.clock, announcer: app.liveFeed,
        credentials: BcryptCredentials(cost: configuration.bcryptCost, threadPool: app.threadPool), signInLifetime: configuration.tokenLifetime,
        summaries: SummaryCache(maximumAge: configuration.summaryMaximumAge))
    app.liveFeed.invalidates(app.platform.summaries)

    let metrics = app.httpMetrics
    let openAPI = try OpenAPIDocument.load()
    // Outermost first: the ID and the metrics see the final response, errors included.
    app.middleware = Middlewares()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(HTTPMetricsMiddleware(metrics: metrics))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(
        ProblemMiddleware { request, status, detail in
            ErrorPage.response(for: request, status: status, detail: detail)
        })
    guard let publicDirectory = Bundle.module.url(forResource: "Public", withExtension: nil) else {
        throw Abort(.internalServerError, reason: "the Public resources are missing from the build")
    }
    app.middleware.use(FileMiddleware(publicDirectory: publicDirectory.path + "/"))
    app.middleware.use(BodyLimitMiddleware())
    app.middleware.use(BearerAuthenticationMiddleware())
    app.middleware.use(SessionAuthenticationMiddleware())
    app.middleware.use(ParameterValidationMiddleware(document: openAPI.tree))
    app.middleware.use(SummaryResponseMiddleware())
    app.middleware.use(ApplicationListResponder())
    app.middleware.use(RequestContext.Middleware())

    let poolMax: Int
    let label: String
    switch configuration.database {
    case .postgres: (poolMax, label) = (Store.postgresConnectionsPerEventLoop * app.eventLoopGroup.makeIterator().map { $0 }.count, "postgresql")
    case .sqliteFile, .sqliteMemory: (poolMax, label) = (app.eventLoopGroup.makeIterator().map { $0 }.count, "sqlite")
    }
    let readiness = Readiness(metrics: metrics, databaseLabel: label, poolMaxConnections: poolMax)
    try routes(app, readiness: readiness, openAPI: openAPI)

    try await Store.prepareConnections(of: app.databases, id: id, location: configuration.database, logger: app.logger)
}

/// Brings the schema up to date (unless told not to) and loads the reference data, idempotently.
public func prepareDatabase(_ app: Application, migrate: Bool = true) async throws {
    if migrate {
        try await app.autoMigrate()
        try await ReferenceData.load(on: app.db)
    }
}
