import TongdaoCore

extension Home {
    /// The city tree as the home page shows it: each district with the parks inside it.
    struct Model: Equatable {
        struct District: Equatable {
            var region: Region
            var parks: [Region]
        }

        var city: Region?
        var districts: [District]

        init(regions: [Region]) {
            city = regions.first { $0.level == .city && $0.parentCode == nil }
            let parks = Dictionary(grouping: regions.filter { $0.level == .park }) { $0.parentCode ?? "" }
            districts =
                regions
                .filter { $0.level == .district }
                .map { District(region: $0, parks: parks[$0.code, default: []].sorted { $0.code < $1.code }) }
        }

        var parkCount: Int { districts.reduce(0) { $0 + $1.parks.count } }
    }
}
