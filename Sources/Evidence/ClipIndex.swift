import Foundation
import Reports
import SessionStore

/// One written clip, for the index.
public struct ClipEntry: Sendable, Equatable {
    public var request: ClipRequest
    /// The clip's file name in the output folder.
    public var fileName: String
    /// Where the clip really starts and ends in the recording.
    public var result: ClipResult

    public init(request: ClipRequest, fileName: String, result: ClipResult) {
        self.request = request
        self.fileName = fileName
        self.result = result
    }
}

/// The index of a folder of clips, as CSV (`clips.csv`) and as an HTML page (`clips.html`) with a
/// player per clip: one section per task, clips in task order, then kind, then session, then rank.
public enum ClipIndex {
    public static let csvName = "clips.csv"
    public static let htmlName = "clips.html"
    static let header = ["clip", "task", "session", "participant", "kind", "rank", "time_s", "clip_start_s", "clip_end_s",
                         "emotion", "score"]
    static let generator = "EmoteLab clips index"

    /// `entries` in reel order: task (by `taskNumber`), kind, session, rank.
    public static func ordered(_ entries: [ClipEntry]) -> [ClipEntry] {
        entries.sorted { a, b in
            let (x, y) = (a.request, b.request)
            if x.moment.taskIndex != y.moment.taskIndex { return x.moment.taskIndex < y.moment.taskIndex }
            if x.moment.kind != y.moment.kind { return x.moment.kind < y.moment.kind }
            if x.sessionID != y.sessionID { return x.sessionID < y.sessionID }
            return x.moment.rank < y.moment.rank
        }
    }

    /// The CSV index (cells guarded against spreadsheet formulas by `CSVWriter`).
    public static func csv(_ entries: [ClipEntry]) -> String {
        var text = CSVWriter.record(header)
        for entry in ordered(entries) {
            let (r, m) = (entry.request, entry.request.moment)
            text += CSVWriter.record([entry.fileName, m.taskName, String(r.sessionID), r.sessionName, m.kind.rawValue,
                                      String(m.rank), seconds(m.time), seconds(entry.result.start),
                                      seconds(entry.result.end), m.emotion.name, String(format: "%.3f", m.score)])
        }
        return text
    }

    /// Whether `data` is a CSV index this code wrote (so a later run may replace it).
    public static func isCSVIndex(_ data: Data) -> Bool {
        data.starts(with: Data(CSVWriter.record(header).utf8))
    }

    /// The HTML index: one self-contained XHTML page linking and playing the clips (relative links).
    public static func html(_ entries: [ClipEntry], title: String) -> String {
        var page = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8" />
            <meta name="generator" content="\(generator)" />
            <title>\(XMLText.escape(title))</title>
            <style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}\
            td,th{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}\
            .negative{color:#b3261e}.positive{color:#1b7f3b}.stretch{color:#5b4b9a}video{width:320px}</style>
            </head><body>
            <h1>\(XMLText.escape(title))</h1>

            """
        var currentTask: Int?
        for entry in ordered(entries) {
            let (r, m) = (entry.request, entry.request.moment)
            if currentTask != m.taskIndex {
                if currentTask != nil { page += "</tbody></table>\n" }
                currentTask = m.taskIndex
                page += "<h2>\(XMLText.escape(m.taskName))</h2>\n<table><thead><tr><th>clip</th><th>session</th><th>kind</th>"
                    + "<th>time</th><th>emotion</th><th>score</th></tr></thead><tbody>\n"
            }
            let link = XMLText.escape(percentEncoded(entry.fileName))
            page += "<tr><td><video controls=\"controls\" preload=\"metadata\" src=\"\(link)\"></video><br />"
                + "<a href=\"\(link)\">\(XMLText.escape(entry.fileName))</a></td>"
                + "<td>\(r.sessionID) \(XMLText.escape(r.sessionName))</td>"
                + "<td class=\"\(m.kind.rawValue)\">\(m.kind.rawValue) \(m.rank)</td>"
                + "<td>\(XMLText.escape(TimeValue.clock(m.time)))\(m.kind == .stretch ? "–" + XMLText.escape(TimeValue.clock(m.end)) : "")"
                + " (clip \(XMLText.escape(TimeValue.clock(entry.result.start)))–\(XMLText.escape(TimeValue.clock(entry.result.end))))</td>"
                + "<td>\(m.emotion.name)</td><td>\(String(format: "%.3f", m.score))</td></tr>\n"
        }
        if currentTask != nil { page += "</tbody></table>\n" }
        page += "</body></html>\n"
        return page
    }

    /// Whether `data` is an HTML index this code wrote.
    public static func isHTMLIndex(_ data: Data) -> Bool {
        String(decoding: data.prefix(4096), as: UTF8.self).contains("<meta name=\"generator\" content=\"\(generator)\" />")
    }

    private static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    private static func percentEncoded(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: ":"))) ?? name
    }
}
