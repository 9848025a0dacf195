/// An async `map` on an optional (Swift has none): a lookup run only when there is something to look up.
extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
