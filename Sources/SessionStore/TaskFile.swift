import FileNames
import Foundation

/// Reads task timings and point events from a CSV or JSON file (the formats are described for users in
/// `docs/tasks-files.md`).
///
/// CSV: one marker per record, separated by `,` or `;` (the first line decides; Excel's `sep=;` line is
/// honoured), in RFC 4180 quoting (names may hold separators, quotes, line breaks and any Unicode; a leading
/// `'` before `=`, `+`, `-`, `@`, a tab or a CR is the spreadsheet's text mark that `csv` adds, and is
/// dropped). A first record naming `task` (or `name`) and `start` is a header: its columns may come in any
/// order, `end` and `type` (`task` or `event`) are optional and every other column is kept as notes.
/// Without a header the columns are task, start, end, then notes. Times are seconds or `[hh:]mm:ss[.fff]`,
/// also with a decimal comma (`75,5`). An empty end means "until the next task starts" (the last task: the
/// end of the video); a record without an end field at all, or with type `event`, is a point event.
/// JSON: an array of objects `{"task": NAME, "start": T, "end": T}` (`end` may be null, `"type"` may be
/// given, other keys are notes), or an object `{"tasks": [...]}` holding that array.
///
/// Names may repeat (a second attempt at a task is its own segment). Every task needs a non-empty name, a
/// start ≥ 0 and an end after its start; with a known video duration it must start before the end of the
/// video and end at most `endTolerance` after it. Errors name the file and the line where the task starts.
public enum TaskFile {
    /// The two accepted formats.
    public enum Format: Sendable { case csv, json }

    /// How far past the end of the video a task may end (task times are often rounded up to a second).
    public static let endTolerance: Double = 1.0

    /// One marker as read, with the line it starts on. A task without an end (`end == nil`) lasts until
    /// the next task starts, the last one until the end of the video.
    struct Entry {
        let line: Int?
        let name: String
        let start: Double
        var end: Double?
        var kind: TaskSegment.Kind = .task
        var notes: String?
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
        let segments = tasks.filter { !$0.isEvent }
        for (i, a) in segments.enumerated() {
            for b in segments[(i + 1)...] where a.start < b.end && b.start < a.end {
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
        let resolved = try resolveOpenEnds(entries, fileName: fileName, videoDuration: videoDuration)
        try check(resolved, fileName: fileName, videoDuration: videoDuration, videoName: videoName)
        return resolved.map { TaskSegment(name: $0.name, start: $0.start, end: $0.end ?? $0.start, kind: $0.kind, notes: $0.notes) }
    }

    /// Gives every task without an end the start of the next task (the earliest task start after its own),
    /// or for the last one the end of the video; an event's end is its start.
    /// - Throws: for a last task without an end when the video's duration is not known.
    static func resolveOpenEnds(_ entries: [Entry], fileName: String, videoDuration: Double?) throws -> [Entry] {
        let starts = entries.filter { $0.kind == .task }.map(\.start)
        return try entries.enumerated().map { index, entry in
            var entry = entry
            if entry.kind == .event {
                if let end = entry.end, end != entry.start {
                    throw TaskFileError(file: fileName, line: entry.line, message: (entry.line == nil ? "task \(index + 1): " : "")
                                        + "event '\(entry.name)' has an end (\(TimeValue.clock(end))); an event is one moment: leave its end empty")
                }
                entry.end = entry.start
            } else if entry.end == nil {
                if let next = starts.filter({ $0 > entry.start }).min() {
                    entry.end = next
                } else if let videoDuration {
                    entry.end = videoDuration
                } else {
                    throw TaskFileError(file: fileName, line: entry.line, message: (entry.line == nil ? "task \(index + 1): " : "")
                                        + "task '\(entry.name)' has no end and no task starts after it; its end would be the end of the video, which is not known here: give its end")
                }
            }
            return entry
        }
    }

    /// The tasks as CSV with a header, in the form `parse` reads (times in seconds); `type` and `notes`
    /// columns are added when a marker is an event or has notes. A name that a spreadsheet would take for
    /// a formula is written with a leading `'` and quoted (`SpreadsheetText`); `parse` removes the `'` again.
    public static func csv(_ tasks: [TaskSegment]) -> String {
        let full = tasks.contains { $0.isEvent || $0.notes != nil }
        func cell(_ text: String) -> String {
            let guarded = SpreadsheetText.needsGuard(text)
            let cell = guarded ? "'" + text : text
            // Scalars, not Characters: "\r\n" is one Character, so a lone "\n" would not match it.
            return guarded || cell.unicodeScalars.contains(where: { ",;\"\r\n".unicodeScalars.contains($0) })
                || cell != cell.trimmingSpaces()
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
        var text = full ? "task,start,end,type,notes\r\n" : "task,start,end\r\n"
        for task in tasks {
            text += "\(cell(task.name)),\(seconds(task.start)),\(task.isEvent ? "" : seconds(task.end))"
            if full { text += ",\(task.kind.rawValue),\(task.notes.map(cell) ?? "")" }
            text += "\r\n"
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

    /// How the columns of a CSV file map to the parts of a marker.
    struct CSVColumns {
        var name = 0, start = 1
        var end: Int? = 2
        var type: Int?
        /// Extra columns kept as notes, with their header (nil without a header line).
        var notes: [(index: Int, title: String?)] = []

        /// The columns a header line names (`task` or `name`, `start`, optional `end` and `type`/`kind`, any
        /// order; every other column is a note), or nil when `fields` is not a header.
        init?(header fields: [String]) {
            let lowered = fields.map { $0.trimmingSpaces().lowercased() }
            guard let name = lowered.firstIndex(where: { $0 == "task" || $0 == "name" }),
                  let start = lowered.firstIndex(of: "start") else { return nil }
            self.name = name
            self.start = start
            end = lowered.firstIndex(of: "end")
            type = lowered.firstIndex { $0 == "type" || $0 == "kind" }
            let used = Set([name, start, end, type].compactMap { $0 })
            // A column called notes keeps its values as they are; any other extra column is named in them.
            notes = fields.indices.filter { !used.contains($0) }.map { index in
                let title = fields[index].trimmingSpaces()
                return (index, ["notes", "note"].contains(title.lowercased()) ? nil : title)
            }
        }

        /// Without a header: task, start, end, then notes.
        init(columnCount: Int) {
            notes = columnCount > 3 ? (3..<columnCount).map { ($0, nil) } : []
        }
    }

    static func csvEntries(_ text: String, fileName: String) throws -> [Entry] {
        let records: [CSVRecordReader.Record]
        do {
            records = try CSVRecordReader.records(in: text, separator: CSVRecordReader.separator(of: text))
        } catch let failure as CSVRecordReader.Failure {
            throw TaskFileError(file: fileName, line: failure.line, message: failure.message)
        }
        let header = records.first.flatMap { CSVColumns(header: $0.fields) }
        var entries: [Entry] = []
        for record in records.dropFirst(header == nil ? 0 : 1) {
            func fail(_ message: String) -> TaskFileError { TaskFileError(file: fileName, line: record.line, message: message) }
            let fields = record.fields
            let columns = header ?? CSVColumns(columnCount: fields.count)
            func field(_ index: Int?) -> String? { index.flatMap { $0 < fields.count ? fields[$0] : nil } }
            guard let name = field(columns.name), let startText = field(columns.start) else {
                throw fail("expected a task name and a start time (task,start[,end]), found \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            var kind = TaskSegment.Kind.task
            if let type = field(columns.type)?.trimmingSpaces().lowercased(), !type.isEmpty {
                switch type {
                case "task", "segment": kind = .task
                case "event", "point", "marker", "moment": kind = .event
                default: throw fail("unknown type '\(type)' (task or event)")
                }
            } else if columns.type == nil, field(columns.end) == nil {
                kind = .event       // a row with no end field at all marks a moment
            }
            let start = try time(startText, field: "start", line: record.line, fileName: fileName)
            var end: Double?
            if let endText = field(columns.end), !endText.trimmingSpaces().isEmpty {
                end = try time(endText, field: "end", line: record.line, fileName: fileName)
            }
            let notes = columns.notes.compactMap { column -> String? in
                guard let value = field(column.index)?.trimmingSpaces(), !value.isEmpty else { return nil }
                return column.title.map { $0.isEmpty ? value : "\($0): \(value)" } ?? value
            }
            entries.append(Entry(line: record.line, name: SpreadsheetText.unguarded(name), start: start, end: end, kind: kind,
                                 notes: notes.isEmpty ? nil : notes.joined(separator: "; ")))
        }
        return entries
    }

    /// A time as tasks files hold it: `TimeValue`'s forms, also with a decimal comma (`75,5`, `1:15,5`).
    static func time(_ text: String, field: String, line: Int?, fileName: String) throws -> Double {
        let decimalPoint = text.contains(".") ? text : text.replacingOccurrences(of: ",", with: ".")
        guard let value = TimeValue.seconds(text) ?? TimeValue.seconds(decimalPoint) else {
            let shown = text.isEmpty ? "empty" : "'\(text)'"
            throw TaskFileError(file: fileName, line: line,
                                message: "bad \(field) time \(shown) (use seconds or [hh:]mm:ss[.fff])")
        }
        return value
    }

    // MARK: JSON

    /// A JSON value of a task entry's field.
    enum FieldValue: Decodable {
        case number(Double), string(String), null, other

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let number = try? container.decode(Double.self) {
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
            guard case let .string(name)? = object["task"] ?? object["name"] else { throw fail("\"task\" must be a string") }
            func timeField(_ key: String) throws -> Double? {
                switch object[key] {
                case let .number(value)?:
                    guard value.isFinite, value >= 0 else { throw fail("bad \(key) time \(value) (must not be negative)") }
                    return value
                case let .string(text)? where key == "end" && text.trimmingSpaces().isEmpty: return nil
                case let .string(text)?:
                    return try time(text, field: key, line: line, fileName: fileName)
                case .null?: return nil
                case .other?: throw fail("\"\(key)\" must be a number of seconds or a time string")
                case nil: throw fail("missing \"\(key)\"")
                }
            }
            var kind = TaskSegment.Kind.task
            switch object["type"] ?? object["kind"] {
            case let .string(type)?:
                switch type.trimmingSpaces().lowercased() {
                case "", "task", "segment": kind = .task
                case "event", "point", "marker", "moment": kind = .event
                default: throw fail("unknown type '\(type)' (task or event)")
                }
            case nil, .null?: kind = object["end"] == nil ? .event : .task   // no end at all: a moment
            default: throw fail("\"type\" must be \"task\" or \"event\"")
            }
            guard let start = try timeField("start") else { throw fail("missing \"start\"") }
            let end = object["end"] == nil ? nil : try timeField("end")
            let known: Set<String> = ["task", "name", "start", "end", "type", "kind"]
            let notes = object.keys.sorted().filter { !known.contains($0) }.compactMap { key -> String? in
                switch object[key] {
                case let .string(text)? where !text.trimmingSpaces().isEmpty: "\(key): \(text)"
                case let .number(value)?: "\(key): \(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))"
                default: nil
                }
            }
            return Entry(line: line, name: name, start: start, end: end, kind: kind,
                         notes: notes.isEmpty ? nil : notes.joined(separator: "; "))
        }
    }

    // MARK: Checks

    static func check(_ entries: [Entry], fileName: String, videoDuration: Double?, videoName: String? = nil) throws {
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
            let end = entry.end ?? entry.start
            if entry.kind == .event {
                if let duration = videoDuration, entry.start > duration + endTolerance {
                    throw fail("event '\(name)' at \(TimeValue.clock(entry.start)) is after the end of the video"
                               + "\(videoName.map { " " + $0 } ?? "") (\(TimeValue.clock(duration)))")
                }
                continue
            }
            guard end > entry.start else {
                let verb = end == entry.start ? "ends when it starts" : "ends before it starts"
                throw fail("task '\(name)' \(verb) (start \(TimeValue.clock(entry.start)), end \(TimeValue.clock(end)))")
            }
            if let duration = videoDuration {
                let videoEnd = "the end of the video\(videoName.map { " " + $0 } ?? "") (\(TimeValue.clock(duration)))"
                if entry.start >= duration {
                    throw fail("task '\(name)' starts at \(TimeValue.clock(entry.start)), at or after \(videoEnd)")
                }
                if end > duration + endTolerance {
                    throw fail("task '\(name)' ends at \(TimeValue.clock(end)), after \(videoEnd)")
                }
            }
        }
    }
}
