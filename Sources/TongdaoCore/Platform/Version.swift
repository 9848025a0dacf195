/// The release of Tongdao this build is; shown in the page footer and `tongdao --version`.
public enum TongdaoVersion {
    public static let current = "0.1.0"
}
