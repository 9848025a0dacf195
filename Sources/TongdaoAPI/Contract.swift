import Foundation

/// The `/api/v1` contract as shipped: the OpenAPI document the types in this module are generated from.
public enum Contract {
    /// The raw `openapi.yaml`, byte for byte as in the source tree.
    public static func yaml() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
