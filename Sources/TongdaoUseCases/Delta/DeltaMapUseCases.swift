import FluentKit
import Foundation
import SQLKit
import TongdaoCore
import TongdaoStore

/// The Delta's figures for its map: by province, the links involving it, its enterprises on them
/// (by city for a partner), the applications of its applicants open and accepted this year, and the
/// links between each two provinces. A partner's regulator gets its own province's part only.
public struct DeltaMapFigures: Sendable, Equatable {
    public struct Province: Sendable, Equatable {
        public var province: DeltaProvince
        public var links: Int
        /// Enterprises of the province that are party to a link in reach.
        public var parties: Int
        /// Those enterprises by city (a partner province's), the most first.
        public var cities: [City]
        /// Applications whose applicant is registered in the province: open, and accepted this year.
        public var openApplications: Int
        public var acceptedThisYear: Int
        /// Outside the reader's part (a partner reads its own province only).
        public var hidden: Bool
    }

    public struct City: Sendable, Equatable {
        public var name: String
        public var parties: Int
    }

    public struct Flow: Sendable, Equatable {
        public var from: DeltaProvince
        public var to: DeltaProvince
        public var links: Int
    }

    /// The links in the reader's reach: a segmented link across three provinces is one link but three
    /// flows, so the flows do not add up to it.
    public var links: Int
    public var provinces: [Province]
    public var flows: [Flow]
    /// Whether applications are counted for this reader: the city's side and a partner; not an
    /// enterprise (its own are on its pages), whose zeros would mislead.
    public var countsApplications: Bool
}

/// The Delta map's reads (issue 21 item 4).
public struct DeltaMapUseCases: Sendable {
    let platform: Platform

    /// The map's figures as the caller reads them: the city's side all four provinces; a partner its
    /// own province, and the links between it and the others; an enterprise the links it is party to.
    public func figures(by caller: Caller) async throws -> DeltaMapFigures {
        try caller.require(.readDelta)
        let db = platform.database
        let own: DeltaProvince? = if case .province(let province) = caller.filter { province } else { nil }
        let links = try await DeltaStore.links(scope: caller.filter, limit: 100_000, on: db)
        var linksBy: [DeltaProvince: Int] = [:], pairs: [[DeltaProvince]: Int] = [:], parties: Set<String> = []
        for link in links {
            let provinces = Set(link.provinces.split(separator: ",").compactMap { DeltaProvince(rawValue: String($0)) }).sorted()
            for province in provinces { linksBy[province, default: 0] += 1 }
            for (index, a) in provinces.enumerated() {
                for b in provinces[(index + 1)...] where own == nil || a == own || b == own { pairs[[a, b], default: 0] += 1 }
            }
            parties.formUnion(link.parties.split(separator: ",").map(String.init))
        }
        let enterprises = try await EnterpriseStore.find(usccs: parties, on: db)
        let names = try await RegionQueries.names(on: db)
        var partiesBy: [DeltaProvince: Int] = [:], cities: [DeltaProvince: [String: Int]] = [:]
        for enterprise in enterprises.values {
            guard let province = DeltaProvince(uscc: enterprise.uscc) else { continue }
            partiesBy[province, default: 0] += 1
            if province.isPartner { cities[province, default: [:]][names[enterprise.district] ?? enterprise.district, default: 0] += 1 }
        }
        let countsApplications = caller.filter == .everything || own != nil
        let applications =
            countsApplications ? try await applicationsByProvince(year: platform.clock.today().year, on: db) : [:]
        return DeltaMapFigures(
            links: links.count,
            provinces: DeltaProvince.allCases.map { province in
                let hidden = own.map { $0 != province } ?? false
                return DeltaMapFigures.Province(
                    province: province, links: hidden ? 0 : linksBy[province] ?? 0, parties: hidden ? 0 : partiesBy[province] ?? 0,
                    cities: hidden
                        ? []
                        : (cities[province] ?? [:]).map { DeltaMapFigures.City(name: $0.key, parties: $0.value) }
                            .sorted { ($1.parties, $0.name) < ($0.parties, $1.name) },
                    openApplications: hidden ? 0 : applications[province]?.open ?? 0,
                    acceptedThisYear: hidden ? 0 : applications[province]?.accepted ?? 0, hidden: hidden)
            },
            flows: pairs.map { DeltaMapFigures.Flow(from: $0.key[0], to: $0.key[1], links: $0.value) }
                .sorted { ($0.from.prefix, $0.to.prefix) < ($1.from.prefix, $1.to.prefix) },
            countsApplications: countsApplications)
    }

    /// Applications by the province their applicant is registered in (the district code's first two
    /// digits): open, and accepted in `year` (a partner's figures beside its own province are hidden
    /// by the caller).
    private func applicationsByProvince(year: Int, on db: any Database) async throws -> [DeltaProvince: (open: Int, accepted: Int)] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        let prefix = SQLFunction("SUBSTR", args: SQLColumn("district_code"), SQLLiteral.numeric("1"), SQLLiteral.numeric("2"))
        let rows = try await sql.select()
            .column(prefix, as: "prefix")
            .column(
                SQLFunction(
                    "SUM",
                    args: SQLRaw("CASE WHEN is_open THEN 1 ELSE 0 END")), as: "open"
            )
            .column(
                SQLFunction("SUM", args: SQLRaw("CASE WHEN accepted_on >= '\(year)-01-01' AND accepted_on <= '\(year)-12-31' THEN 1 ELSE 0 END")),
                as: "accepted"
            )
            .from(ApplicationModel.schema).groupBy(prefix).all()
        var figures: [DeltaProvince: (open: Int, accepted: Int)] = [:]
        for row in rows {
            let code = try row.decode(column: "prefix", as: String.self)
            guard let province = DeltaProvince(regionCode: code + "0000") else { continue }
            figures[province] = (
                try row.decode(column: "open", as: Int?.self) ?? 0, try row.decode(column: "accepted", as: Int?.self) ?? 0
            )
        }
        return figures
    }
}

extension Platform {
    public var deltaMap: DeltaMapUseCases { DeltaMapUseCases(platform: self) }
}
