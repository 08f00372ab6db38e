import FileNames
import Foundation

/// Reads task timings from a CSV or JSON file.
///
/// CSV: one task per record, `task,start,end`, in RFC 4180 quoting (names may hold commas, quotes, line
/// breaks and any Unicode; a leading `'` before `=`, `+`, `-`, `@`, a tab or a CR is the spreadsheet's
/// text mark that `csv` adds, and is dropped). A first record that reads exactly `task,start,end` (any case) is a header and
/// is skipped; the header is optional. JSON: an array of objects `{"task": NAME, "start": T, "end": T}`,
/// or an object `{"tasks": [...]}` holding that array. Times are numbers of seconds or strings in any
/// form `TimeValue` reads (`"75.5"`, `"1:15.5"`, `"0:01:15"`).
///
/// Every task must have a name that no other task has, a start ≥ 0 and an end after its start; with a
/// known video duration it must start before the end of the video and end at most `endTolerance` after
/// it. Errors name the file and the line where the task starts.
public enum TaskFile {
    /// The two accepted formats.
    public enum Format: Sendable { case csv, json }

    /// How far past the end of the video a task may end (task times are often rounded up to a second).
    public static let endTolerance: Double = 1.0

    /// One task as read, with the line it starts on.
    struct Entry {
        let line: Int?
        let name: String
        let start: Double
        let end: Double
    }

    /// Reads and checks the tasks in `url`. The format follows the extension (`.json`) or, for any other
    /// name, the first character (`[` or `{` means JSON). `videoName` names the video in messages about
    /// its end (useful when one tasks file is checked against several videos).
    public static func load(contentsOf url: URL, videoDuration: Double? = nil, videoName: String? = nil) throws -> [TaskSegment] {
        let name = RawFileName.displayed(url.path)
        if let info = RawFileSystem.status(url.path), let kind = specialFileKind(info.st_mode) {
            // A named pipe would block the read until something writes to it.
            throw TaskFileError(file: name, line: nil, message: "is \(kind), not a tasks file")
        }
        let data: Data
        do {
            data = Data(try RawFileSystem.contents(of: url.path))     // the name's own bytes, UTF-8 or not
        } catch {
            let reason = !RawFileSystem.exists(url.path) ? "no such file"
                : RawFileSystem.isFolder(url.path) ? "is a folder, not a tasks file" : "cannot read the file"
            throw TaskFileError(file: name, line: nil, message: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, byte) = firstNonUTF8Byte(in: data)
            throw TaskFileError(file: name, line: line, message: String(format: "not UTF-8 text (byte 0x%02X); "
                                + "save the file as UTF-8", byte))
        }
        let firstCharacter = text.unicodeScalars.first { !CharacterSet.whitespacesAndNewlines.contains($0) && $0 != "\u{FEFF}" }
        let format: Format = url.pathExtension.lowercased() == "json" || firstCharacter == "[" || firstCharacter == "{" ? .json : .csv
        return try parse(text, format: format, fileName: name, videoDuration: videoDuration, videoName: videoName)
    }

    /// What a file that is not a regular file or a folder is (`a named pipe`), or nil.
    static func specialFileKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG, S_IFDIR: nil
        case S_IFIFO: "a named pipe"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    /// The 1-based line and the value of the first byte of `data` that is not part of valid UTF-8.
    static func firstNonUTF8Byte(in data: Data) -> (line: Int, byte: UInt8) {
        let bytes = [UInt8](data)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded): offset += encoded.count
            case .error:
                let line = 1 + bytes[..<offset].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                return (line, bytes[offset])
            case .emptyInput: break loop
            }
        }
        return (1, bytes.first ?? 0)
    }

    /// Warnings about tasks that overlap (allowed: a task may sit inside another, but often it is a typo):
    /// one line per pair, naming both with their times.
    public static func overlapWarnings(_ tasks: [TaskSegment], fileName: String) -> [String] {
        var warnings: [String] = []
        for (i, a) in tasks.enumerated() {
            for b in tasks[(i + 1)...] where a.start < b.end && b.start < a.end {
                func describe(_ t: TaskSegment) -> String {
                    "'\(t.name)' (\(TimeValue.clock(t.start))–\(TimeValue.clock(t.end)))"
                }
                warnings.append("\(fileName): tasks \(describe(a)) and \(describe(b)) overlap")
            }
        }
        return warnings
    }

    /// Reads and checks the tasks in `text`; `fileName` is used in error messages.
    public static func parse(_ text: String, format: Format, fileName: String,
                             videoDuration: Double? = nil, videoName: String? = nil) throws -> [TaskSegment] {
        let entries = switch format {
        case .csv: try csvEntries(text, fileName: fileName)
        case .json: try jsonEntries(text, fileName: fileName)
        }
        guard !entries.isEmpty else { throw TaskFileError(file: fileName, line: nil, message: "no tasks in the file") }
        try check(entries, fileName: fileName, videoDuration: videoDuration, videoName: videoName)
        return entries.map { TaskSegment(name: $0.name, start: $0.start, end: $0.end) }
    }

    /// The tasks as CSV with a header, in the form `parse` reads (times in seconds). A name that a
    /// spreadsheet would take for a formula is written with a leading `'` and quoted (`SpreadsheetText`);
    /// `parse` removes the `'` again.
    public static func csv(_ tasks: [TaskSegment]) -> String {
        var text = "task,start,end\r\n"
        for task in tasks {
            let guarded = SpreadsheetText.needsGuard(task.name)
            let cell = guarded ? "'" + task.name : task.name
            // Scalars, not Characters: "\r\n" is one Character, so a lone "\n" would not match it.
            let name = guarded || cell.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) })
                || cell != cell.trimmingSpaces()
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            text += "\(name),\(seconds(task.start)),\(seconds(task.end))\r\n"
        }
        return text
    }

    /// Seconds in the shortest form that reads back exactly (`75`, `75.5`).
    /// No exponent form (`1e-05`): `parse` reads plain decimals only.
    static func seconds(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        let shortest = "\(value)"
        guard shortest.contains("e") else { return shortest }
        var fixed = String(format: "%.9f", value)
        while fixed.hasSuffix("0") { fixed.removeLast() }
        if fixed.hasSuffix(".") { fixed.removeLast() }
        return fixed
    }

    // MARK: CSV

    static func csvEntries(_ text: String, fileName: String) throws -> [Entry] {
        let records: [CSVRecordReader.Record]
        do {
            records = try CSVRecordReader.records(in: text)
        } catch let failure as CSVRecordReader.Failure {
            throw TaskFileError(file: fileName, line: failure.line, message: failure.message)
        }
        var entries: [Entry] = []
        for (index, record) in records.enumerated() {
            let lowered = record.fields.map { $0.trimmingSpaces().lowercased() }
            if index == 0, lowered == ["task", "start", "end"] { continue }
            if index == 0, lowered.count == 3, Set(lowered) == ["task", "start", "end"] {
                throw TaskFileError(file: fileName, line: record.line,
                                    message: "the header must be task,start,end in that order, found \(record.fields.joined(separator: ","))")
            }
            guard record.fields.count == 3 else {
                throw TaskFileError(file: fileName, line: record.line,
                                    message: "expected 3 fields (task,start,end), found \(record.fields.count)")
            }
            let start = try time(record.fields[1], field: "start", line: record.line, fileName: fileName)
            let end = try time(record.fields[2], field: "end", line: record.line, fileName: fileName)
            entries.append(Entry(line: record.line, name: SpreadsheetText.unguarded(record.fields[0]), start: start, end: end))
        }
        return entries
    }

    static func time(_ text: String, field: String, line: Int?, fileName: String) throws -> Double {
        guard let value = TimeValue.seconds(text) else {
            let shown = text.isEmpty ? "empty" : "'\(text)'"
            throw TaskFileError(file: fileName, line: line,
                                message: "bad \(field) time \(shown) (use seconds or [hh:]mm:ss[.fff])")
        }
        return value
    }

    // MARK: JSON

    /// A JSON value of a task entry's field.
    enum FieldValue: Decodable {
        case number(Double), string(String), other

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let string = try? container.decode(String.self) {
                self = .string(string)
            } else {
                self = .other
            }
        }
    }

    /// Either accepted top-level shape.
    enum Document: Decodable {
        case list([[String: FieldValue]])

        private enum Keys: String, CodingKey { case tasks }

        init(from decoder: Decoder) throws {
            if let list = try? decoder.singleValueContainer().decode([[String: FieldValue]].self) {
                self = .list(list)
                return
            }
            let container = try decoder.container(keyedBy: Keys.self)
            self = .list(try container.decode([[String: FieldValue]].self, forKey: .tasks))
        }
    }

    static func jsonEntries(_ text: String, fileName: String) throws -> [Entry] {
        let data = Data(text.utf8)
        do {
            _ = try JSONSerialization.jsonObject(with: data)
        } catch {
            if let last = JSONEntryLocator.truncatedEnd(in: data) {
                throw TaskFileError(file: fileName, line: last,
                                    message: "not valid JSON: the file ends inside a string, list or object (cut short?)")
            }
            throw TaskFileError(file: fileName, line: JSONEntryLocator.errorLine(in: data, error: error),
                                message: "not valid JSON")
        }
        if let duplicate = JSONEntryLocator.duplicateKey(in: data) {
            throw TaskFileError(file: fileName, line: duplicate.line, message: "key \"\(duplicate.key)\" appears twice in one object")
        }
        guard case let .list(objects)? = try? JSONDecoder().decode(Document.self, from: data) else {
            throw TaskFileError(file: fileName, line: nil,
                                message: #"expected [{"task": ..., "start": ..., "end": ...}, ...] or {"tasks": [...]}"#)
        }
        let lines = JSONEntryLocator.entryLines(in: data)
        let lineOf: (Int) -> Int? = { lines.count == objects.count ? lines[$0] : nil }
        return try objects.enumerated().map { index, object in
            let line = lineOf(index)
            let where_ = line == nil ? "task \(index + 1): " : ""
            func fail(_ message: String) -> TaskFileError {
                TaskFileError(file: fileName, line: line, message: where_ + message)
            }
            if let unknown = object.keys.sorted().first(where: { !["task", "start", "end"].contains($0) }) {
                throw fail("unknown key '\(unknown)' (expected task, start, end)")
            }
            guard case let .string(name)? = object["task"] else { throw fail("\"task\" must be a string") }
            func timeField(_ key: String) throws -> Double {
                switch object[key] {
                case let .number(value)?:
                    guard value.isFinite, value >= 0 else { throw fail("bad \(key) time \(value) (must not be negative)") }
                    return value
                case let .string(text)?:
                    return try time(text, field: key, line: line, fileName: fileName)
                case .other?: throw fail("\"\(key)\" must be a number of seconds or a time string")
                case nil: throw fail("missing \"\(key)\"")
                }
            }
            return Entry(line: line, name: name, start: try timeField("start"), end: try timeField("end"))
        }
    }

    // MARK: Checks

    static func check(_ entries: [Entry], fileName: String, videoDuration: Double?, videoName: String? = nil) throws {
        var firstLine: [String: Int?] = [:]
        for (index, entry) in entries.enumerated() {
            func fail(_ message: String) -> TaskFileError {
                TaskFileError(file: fileName, line: entry.line, message: (entry.line == nil ? "task \(index + 1): " : "") + message)
            }
            let name = entry.name
            guard !name.trimmingSpaces().isEmpty else { throw fail("empty task name") }
            guard !name.unicodeScalars.contains("\0") else {
                // SQLite would keep only the part before it.
                throw fail("task name '\(name.replacingOccurrences(of: "\0", with: "\\0"))' holds a NUL character")
            }
            if let previous = firstLine[name] {
                throw fail("task '\(name)' appears twice" + (previous.map { " (first on line \($0))" } ?? ""))
            }
            firstLine[name] = entry.line
            guard entry.end > entry.start else {
                let verb = entry.end == entry.start ? "ends when it starts" : "ends before it starts"
                throw fail("task '\(name)' \(verb) (start \(TimeValue.clock(entry.start)), end \(TimeValue.clock(entry.end)))")
            }
            if let duration = videoDuration {
                let videoEnd = "the end of the video\(videoName.map { " " + $0 } ?? "") (\(TimeValue.clock(duration)))"
                if entry.start >= duration {
                    throw fail("task '\(name)' starts at \(TimeValue.clock(entry.start)), at or after \(videoEnd)")
                }
                if entry.end > duration + endTolerance {
                    throw fail("task '\(name)' ends at \(TimeValue.clock(entry.end)), after \(videoEnd)")
                }
            }
        }
    }
}
