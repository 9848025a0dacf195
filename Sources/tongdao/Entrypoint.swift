import ArgumentParser

/// A `@main` type rather than a top-level `main.swift`, so that the async overloads are the ones called.
@main
enum Entrypoint {
    static func main() async {
        await TongdaoCommand.main()
    }
}
