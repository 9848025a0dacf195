import ArgumentParser
import TongdaoCore

struct TongdaoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tongdao",
        abstract: "通道 Tongdao — service and supervision platform for innovative medical products.",
        discussion: """
            Without DATABASE_URL the data lives in an embedded SQLite file under TONGDAO_DATA_DIR \
            (default ./.tongdao/). See the README for every environment variable.
            """,
        version: TongdaoVersion.current,
        subcommands: [
            Serve.self, Migrate.self, Seed.self, CalendarCommand.self, UserCommand.self, CensusCommand.self, SheetCommand.self, DigestCommand.self,
            IdentifierCommand.self, TrialCommand.self, VigilanceCommand.self,
        ]
    )
}
