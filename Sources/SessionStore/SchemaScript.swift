import Foundation

/// A schema file split into named, ordered migrations.
///
/// The file is plain SQL. A line `-- migration: NAME` starts a migration that runs to the next such line
/// or the end of the file. Text before the first marker may hold only comments and blank lines.
public struct SchemaScript: Sendable, Equatable {
    /// One named migration: the SQL between its marker and the next.
    public struct Migration: Sendable, Equatable {
        public let name: String
        public let sql: String
    }

    /// The migrations in file order.
    public let migrations: [Migration]

    /// The schema compiled into this build (`schema.sql` at the repository root).
    public static let bundled: SchemaScript = {
        do {
            return try SchemaScript(parsing: embeddedSchemaSQL)
        } catch {
            // The embedded text is checked by SessionStoreTests; reaching this is a build defect.
            preconditionFailure("embedded schema.sql is malformed: \(error)")
        }
    }()

    /// The marker that starts a migration.
    static let markerPrefix = "-- migration:"

    /// Splits `text` into migrations.
    /// - Throws: `StoreError.malformedSchema` for SQL before the first marker, an empty or repeated name,
    ///   a migration without SQL, or a file without migrations.
    public init(parsing text: String) throws {
        var result: [Migration] = []
        var currentName: String?
        var currentLines: [Substring] = []
        var seen = Set<String>()

        func close() throws {
            guard let name = currentName else { return }
            let sql = currentLines.joined(separator: "\n")
            guard SchemaScript.hasStatements(sql) else {
                throw StoreError.malformedSchema("migration '\(name)' holds no SQL")
            }
            result.append(Migration(name: name, sql: sql))
        }

        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(SchemaScript.markerPrefix) {
                try close()
                let name = trimmed.dropFirst(SchemaScript.markerPrefix.count).trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else {
                    throw StoreError.malformedSchema("line \(index + 1): migration marker without a name")
                }
                guard seen.insert(name).inserted else {
                    throw StoreError.malformedSchema("line \(index + 1): migration '\(name)' appears twice")
                }
                currentName = name
                currentLines = []
            } else if currentName == nil {
                guard trimmed.isEmpty || trimmed.hasPrefix("--") else {
                    throw StoreError.malformedSchema("line \(index + 1): SQL before the first '-- migration:' marker")
                }
            } else {
                currentLines.append(line)
            }
        }
        try close()
        guard !result.isEmpty else { throw StoreError.malformedSchema("no '-- migration:' sections") }
        migrations = result
    }

    /// Whether `sql` holds anything besides comments and whitespace.
    static func hasStatements(_ sql: String) -> Bool {
        sql.split(separator: "\n").contains { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty && !trimmed.hasPrefix("--")
        }
    }

    /// The tables the first migration creates (`CREATE TABLE name`), in order.
    var tablesOfFirstMigration: [String] {
        guard let first = migrations.first else { return [] }
        let words = first.sql.split(whereSeparator: { $0.isWhitespace || $0 == "(" })
        return words.indices.dropLast(2).compactMap { i in
            words[i].uppercased() == "CREATE" && words[i + 1].uppercased() == "TABLE" ? String(words[i + 2]) : nil
        }
    }
}
