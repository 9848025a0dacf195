import TongdaoStore

extension VersionedModel {
    /// That a change names the version of the record it is based on (`versionRequired` otherwise),
    /// and that the record still has it (`stale`, with the version it has now, otherwise). Read in
    /// the write's transaction; the write itself moves the version only from the one read
    /// (`updateVersioned`), so a writer that got in between is caught there too.
    func check(basedOn version: Int?, _ kind: UseCaseError.RecordKind) throws {
        guard let version else { throw UseCaseError.versionRequired(kind) }
        guard version == self.version else { throw UseCaseError.stale(kind, current: self.version) }
    }
}
