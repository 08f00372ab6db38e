import FileNames
import Foundation
import SessionStore

/// The report as one self-contained XHTML page: session facts, the timeline chart with task bands and
/// the per-task table, and with a replay the recording (by relative path), its strongest moments and the
/// page's only script, inline. It loads nothing else (no fonts, images, style sheets or network), escapes
/// every text and parses as XML.
public enum HTMLReport {
    /// The caveat printed under the title and in the README.
    public static let caveat = "Engagement, satisfaction and valence are proxies computed from facial expressions; "
        + "they are not validated measures of satisfaction or engagement."

    /// Compact JSON with a space after each `,` and `:` outside strings, so a browser can wrap it between
    /// entries instead of inside a word.
    static func spaced(_ json: String) -> String {
        var out = "", inString = false, escaped = false
        for character in json {
            out.append(character)
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "," || character == ":" {
                out.append(" ")
            }
        }
        return out
    }

    /// True when `file` is a page this type wrote (its generator meta names EmoteLab, or, from versions
    /// before that meta, its title reads "Emotion report:") for the session with content hash
    /// `contentHash`: an earlier report of that session, which may be replaced.
    public static func isReport(_ file: Data, contentHash: String) -> Bool {
        (file.range(of: Data("<meta name=\"generator\" content=\"EmoteLab".utf8)) != nil
            || file.range(of: Data("<title>Emotion report: ".utf8)) != nil)
            && file.range(of: Data("<dd>\(XMLText.escape(contentHash))</dd>".utf8)) != nil
    }

    /// The page. `generator` names the program in the footer (e.g. `EmoteLab 0.1.0`).
    /// The longest default rolling mean, in seconds.
    public static let maximumDefaultSmoothing = 5.0

    /// The chart's default rolling mean for a chart `length` seconds long: a 24th of it, at most 5 s. A
    /// 2-minute session at 4 samples/s (480 samples, one per pixel column) then draws as a readable curve
    /// instead of a barcode, a change that lasts a few seconds still shows, and a clip of a few seconds
    /// keeps its samples.
    public static func defaultSmoothing(forLength length: Double) -> Double {
        min(maximumDefaultSmoothing, max(length, 0) / 24)
    }

    /// - Parameter smoothing: the chart's rolling-mean window in seconds (0: raw samples; nil: the default
    ///   for the session's length); tables and the CSV always use the raw samples.
    /// - Parameter participant: the participant's label, shown in the title and the facts.
    /// - Parameter replay: the recording to play beside the chart (referenced, never embedded): the page
    ///   then seeks it on clicks on the chart, a task label or a moment, moves a cursor on the chart while it
    ///   plays, lists the strongest moments per task (`replayMoments`) and says so when it cannot load it.
    public static func page(_ report: SessionReport, generator: String = "EmoteLab",
                            smoothing: Double? = nil, participant: String? = nil, replay: Replay? = nil) -> String {
        let session = report.session
        let title = "Emotion report: " + (participant.map { "\($0) (\(report.sessionName))" } ?? report.sessionName)
        let end = max(SessionReport.end(of: session, timeline: report.timeline), report.tasks.map(\.end).max() ?? 0, 0.001)
        let smoothing = smoothing ?? defaultSmoothing(forLength: end)
        let chart = TimelineChart(timeline: report.timeline, tasks: report.segments, events: report.events, end: end,
                                  others: report.othersStretches,
                                  valenceBaseline: report.baselineValence ?? 0, smoothing: smoothing)
        return """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="generator" content="\(XMLText.escape(generator))"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(XMLText.escape(title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <h1>\(XMLText.escape(title))</h1>
            <p class="caveat">\(XMLText.escape(caveat))</p>
            <h2>Session</h2>
            \(facts(report, participant: participant))
            <h2>\(replay == nil ? "Timeline" : "Timeline and replay")</h2>
            \(replay == nil ? "" : "<div class=\"replay-layout\">\n" + replayVideo(replay!))
            <figure>
            \(chart.svg())
            <figcaption>\(legend(hasTasks: !report.segments.isEmpty, hasEvents: !report.events.isEmpty))
            <span class="smoothing">\(XMLText.escape(smoothingNote(smoothing)))</span></figcaption>
            </figure>
            \(replay == nil ? "" : "</div>\n" + momentTable(replayMoments(report)))
            \(othersList(report.othersStretches, seekable: replay != nil))
            \(eventList(report.events))
            <h2>Tasks</h2>
            \(definitions)
            \(table(report))
            <h3>Mean emotion probabilities</h3>
            \(emotionTable(report))
            <p class="footer">Made by \(XMLText.escape(generator)).</p>
            \(replay == nil ? "" : replayScript)
            </body>
            </html>

            """
    }

    static let style = """
        body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 24px auto; max-width: 1060px; padding: 0 16px; font-size: 14px; }
        h1 { font-size: 22px; margin-bottom: 4px; overflow-wrap: anywhere; }
        h3 { font-size: 14px; margin: 18px 0 6px; }
        h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
        .caveat { color: #57606a; font-style: italic; margin-top: 0; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; }
        dl.facts dt { color: #57606a; }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        figure { margin: 0; }
        svg.chart { width: 100%; height: auto; font-size: 11px; }
        svg.chart text { fill: #57606a; }
        svg.chart .panel-title { font-weight: bold; fill: #1f2328; }
        .frame rect { fill: none; stroke: #d0d7de; }
        .band0 { fill: #4c78a8; fill-opacity: 0.10; }
        .band1 { fill: #4c78a8; fill-opacity: 0.20; }
        .band-edges line { stroke: #4c78a8; stroke-width: 1; stroke-dasharray: 3 2; }
        svg.chart .band-label { fill: #1f3f66; font-size: 12px; font-weight: bold; }
        .valence polyline { fill: none; stroke: #1f2328; stroke-width: 1.5; stroke-linejoin: round; }
        .zero { stroke: #8c959f; stroke-dasharray: 4 3; }
        .presence rect { fill: #2da44e; }
        .others rect { fill: #424a53; fill-opacity: 0.85; }
        ul.others { margin: 4px 0; padding-left: 20px; font-size: 12px; }
        ul.others .time { font-variant-numeric: tabular-nums; color: #424a53; }
        .axis line { stroke: #8c959f; }
        .events line { stroke: #bc4c00; stroke-width: 1.5; }
        .events path { fill: #bc4c00; }
        figcaption { margin-top: 6px; color: #57606a; }
        .swatch { display: inline-block; width: 11px; height: 11px; margin: 0 4px 0 12px; vertical-align: -1px; border-radius: 2px; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 12px; }
        table.emotions { width: auto; }
        td.mix { padding-top: 2px; padding-bottom: 0; }
        th, td { padding: 4px 6px; border-bottom: 1px solid #d0d7de; text-align: right; white-space: nowrap; }
        th { background: #f6f8fa; font-weight: 600; white-space: normal; vertical-align: bottom; }
        td.name, th.name { text-align: left; white-space: normal; overflow-wrap: anywhere; min-width: 9em; max-width: 20em; }
        tr.whole td { font-weight: 600; border-top: 2px solid #8c959f; }
        td.empty { color: #8c959f; }
        .footer { color: #57606a; font-size: 12px; margin-top: 16px; }
        .ci { color: #57606a; font-size: 10px; }
        figcaption .smoothing { display: block; margin-top: 4px; }
        figcaption .key { white-space: nowrap; }
        .definition { font-size: 12px; color: #424a53; margin: 0 0 6px; }
        dl.definitions { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 10px; font-size: 12px; color: #424a53; }
        dl.definitions dt { font-weight: 600; }
        dl.definitions dd { margin: 0; }
        ul.events { margin: 4px 0; padding-left: 20px; font-size: 12px; }
        ul.events .time { font-variant-numeric: tabular-nums; color: #bc4c00; }
        ul.events .notes { color: #57606a; }
        """ + "\n" + replayStyle + "\n" + Emotion.allCases.map { ".e-\($0.name) { fill: \(EmotionPalette.color($0)); }" }.joined(separator: "\n")

    static func facts(_ report: SessionReport, participant: String? = nil) -> String {
        let info = report.session.info
        let settings = report.run.settings
        let whole = report.wholeSession
        var items: [(String, String)] = participant.map { [("Participant", $0)] } ?? []
        items += [
            ("File", RawFileName.displayed(info.filePath)),
            ("Content hash", info.contentHash),
            ("Duration", info.duration.map { "\(TimeValue.clock($0)) (\(Formatting.number($0, decimals: 3)) s)" } ?? "unknown"),
            ("Frame size", info.frameWidth.flatMap { w in info.frameHeight.map { "\(w) × \($0) px" } } ?? "unknown"),
            ("Recorded frame rate", info.recordedFPS.map { "\(Formatting.number($0, decimals: 3)) fps" } ?? "unknown"),
            ("Analysis", "run \(report.run.id), finished \(timestamp(report.run.finishedAt))"),
            ("Model", "\(settings.modelName) (\(settings.modelHash.prefix(16)))"),
            ("Sampling", "\(Formatting.number(settings.sampleRate, decimals: 2)) samples/s"),
            ("Face detector", "\(settings.detector) \(Self.spaced(settings.detectorParameters))"),
            ("Samples", "\(whole.samples), \(whole.faceSamples) with the participant's face"
                + (whole.facePresence.map { " (\(Formatting.number($0 * 100, decimals: 1)) %)" } ?? "")),
            ("Others in view", othersFact(whole, stretches: report.othersStretches)),
        ]
        if let warnings = report.run.message, report.run.status == .complete {
            items.append(("Warnings", warnings))
        }
        if let baseline = report.baseline, let valence = report.baselineValence {
            items.append(("Baseline", "\(baseline): mean valence \(Formatting.number(valence, decimals: 4)), subtracted from "
                          + "every valence; the emotion table shows each emotion's change from its mean there"))
        }
        return "<dl class=\"facts\">\n" + items.map { "<dt>\(XMLText.escape($0.0))</dt><dd>\(XMLText.escape($0.1))</dd>" }
            .joined(separator: "\n") + "\n</dl>"
    }

    static func timestamp(_ date: Date?) -> String {
        guard let date else { return "unknown" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// What the chart's smoothing is, in words.
    static func smoothingNote(_ seconds: Double) -> String {
        seconds > 0 ? "Curves are a rolling mean over \(Formatting.number(seconds, decimals: 2)) s (report --smooth); "
            + "the tables use every sample." : "Curves show every sample (no smoothing)."
    }

    /// The facts' "Others in view" line: the share of samples with a face besides the participant's and the
    /// number of stretches (listed under the chart), or that there was none.
    static func othersFact(_ whole: ReportRow, stretches: [OthersStretch]) -> String {
        guard whole.othersSamples > 0, let share = whole.othersInView else {
            return "no face besides the participant's was found"
        }
        return "\(whole.othersSamples) sample\(whole.othersSamples == 1 ? "" : "s") (\(Formatting.number(share * 100, decimals: 1)) %) "
            + "with a face besides the participant's, in \(stretches.count) stretch\(stretches.count == 1 ? "" : "es"): "
            + OthersInView.list(stretches)
    }

    /// The stretches with others in view as a list under the chart (with a replay, each time plays the
    /// recording from there), or nothing when there are none.
    static func othersList(_ stretches: [OthersStretch], seekable: Bool) -> String {
        guard !stretches.isEmpty else { return "" }
        return "<h3>Others in view</h3>\n<p class=\"definition\">Stretches in which a face besides the participant's "
            + "(a moderator, an observer, a bystander) was found; one sample without it inside a stretch does not split it."
            + (seekable ? " A time plays the recording from there." : "") + "</p>\n<ul class=\"others\">\n"
            + stretches.map { stretch in
                let span = OthersInView.span(stretch)
                let time = TimelineChart.exact(stretch.start)
                let shown = seekable ? "<a class=\"seek time\" href=\"#t=\(time)\" data-time=\"\(time)\">\(span)</a>"
                    : "<span class=\"time\">\(span)</span>"
                return "<li>\(shown) (\(Formatting.number(stretch.duration, decimals: 1)) s; "
                    + (stretch.maxOthers == 1 ? "1 other face)" : "up to \(stretch.maxOthers) other faces)") + "</li>"
            }.joined(separator: "\n") + "\n</ul>"
    }

    /// The definitions of the table's figures, placed right above it (issue 20: beside the numbers).
    static let definitions = """
        <dl class="definitions">
        <dt>Face</dt><dd>presence: the share of samples in which the participant's face was seen.</dd>
        <dt>Others</dt><dd>others in view: the share of samples in which a face besides the participant's was found (a moderator, an observer, a bystander); hover for the stretches.</dd>
        <dt>Engagement</dt><dd>how expressive the face was while it was seen: 100 × the mean of (1 − p(neutral)) over the samples with the face, 0–100. Absence does not lower it; that is what Face says.</dd>
        <dt>Satisfaction</dt><dd>50 × (1 + mean valence), 0–100; 50 is a neutral face.</dd>
        <dt>Valence</dt><dd>per sample p(happy) − max(p(angry), p(disgust), p(fear), p(sad)), −1 … +1 (minus the baseline's mean when a baseline is set, then −2 … +2).</dd>
        <dt>Interval</dt><dd>the small figures under a value are its 95 % interval: the task is cut into 5-second blocks and the interval is that of the block means, so neighbouring samples, which are never independent, are not counted as separate evidence. Tasks shorter than two blocks have none.</dd>
        <dt>–</dt><dd>no sample with the face in that task.</dd>
        </dl>
        """

    /// The point events as a list under the chart, or nothing.
    static func eventList(_ events: [TaskSegment]) -> String {
        guard !events.isEmpty else { return "" }
        return "<h3>Events</h3>\n<ul class=\"events\">\n" + events.map { event in
            "<li><span class=\"time\">\(shortClock(event.start))</span> \(XMLText.escape(event.name))"
                + (event.notes.map { " <span class=\"notes\">(\(XMLText.escape($0)))</span>" } ?? "") + "</li>"
        }.joined(separator: "\n") + "\n</ul>"
    }

    static func legend(hasTasks: Bool, hasEvents: Bool = false) -> String {
        EmotionPalette.stackOrder.reversed().map {
            "<span class=\"swatch\" style=\"background: \(EmotionPalette.color($0))\"></span>\($0.name)"
        }.joined(separator: " ")
            + " <span class=\"swatch\" style=\"background: #1f2328; height: 2px; vertical-align: 3px\"></span>valence"
            + " <span class=\"swatch\" style=\"background: #2da44e\"></span>participant's face visible (paler: part of the time)"
            + " <span class=\"key\"><span class=\"swatch\" style=\"background: #424a53\"></span>others in view</span>"
            + (hasTasks ? " <span class=\"key\"><span class=\"swatch\" style=\"background: #4c78a8; opacity: 0.4\"></span>task</span>" : "")
            + (hasEvents ? " <span class=\"key\"><span class=\"swatch\" style=\"background: #bc4c00; width: 3px\"></span>event</span>" : "")
    }

    /// The per-task table: counts, engagement, satisfaction, valence, dominant emotion and a bar of the
    /// mean emotion mix; the mean probabilities themselves follow in `emotionTable`.
    static func table(_ report: SessionReport) -> String {
        let headers = ["#", "Task", "Time", "Duration", "Samples", "Face", "Others", "Engagement", "Satisfaction",
                       "Valence mean", "Valence range", "Dominant", "Emotion mix"]
        var out = "<div class=\"table-wrap\"><table>\n<thead><tr>" + headerCells(headers) + "</tr></thead>\n<tbody>\n"
        for (index, row) in report.rows.enumerated() {
            let fraction = { (v: Double?) in v.map { Formatting.number($0, decimals: 3) } }
            let score = { (v: Double?) in v.map { Formatting.number($0, decimals: 1) } }
            let range = row.valenceMin.flatMap { low in row.valenceMax.map { "\(fraction(low)!) … \(fraction($0)!)" } }
            out += rowStart(row, index: index)
            out += cell("\(shortClock(row.start))–\(shortClock(row.end))") + cell(shortClock(row.duration))
            out += cell(String(row.samples)) + cell(row.facePresence.map { Formatting.number($0 * 100, decimals: 1) + " %" })
            out += othersCell(row, stretches: OthersInView.clipped(report.othersStretches, start: row.start, end: row.end))
            out += cell(score(row.engagement), interval: row.engagementInterval, decimals: 1)
            out += cell(score(row.satisfaction), interval: row.satisfactionInterval, decimals: 1)
            out += cell(fraction(row.valenceMean), interval: row.valenceInterval, decimals: 3)
            out += cell(range) + cell(row.dominant?.name)
            out += "<td class=\"mix\">\(mixBar(row.emotionMeans))</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>"
    }

    /// The share of the row's samples with others in view, its stretches (cut to the row's times) in the
    /// tooltip; a dimmed dash for a row without samples.
    static func othersCell(_ row: ReportRow, stretches: [OthersStretch]) -> String {
        guard let share = row.othersInView else { return "<td class=\"empty\" title=\"no samples\">–</td>" }
        let title = row.othersSamples == 0 ? "no one besides the participant was in view"
            : "others in view \(OthersInView.list(stretches))"
        return "<td title=\"\(XMLText.escape(title))\">\(Formatting.number(share * 100, decimals: 1)) %</td>"
    }

    /// Mean probability of each emotion per task.
    static func emotionTable(_ report: SessionReport) -> String {
        let changes = report.baseline != nil
        var out = (changes ? "<p class=\"definition\">Each emotion's mean probability less its mean over the baseline "
                   + "(\(XMLText.escape(report.baseline?.description ?? ""))): above 0, more than at rest.</p>\n" : "")
            + "<div class=\"table-wrap\"><table class=\"emotions\">\n<thead><tr>"
            + headerCells(["#", "Task"] + Emotion.allCases.map { changes ? "\($0.name) change" : $0.name }) + "</tr></thead>\n<tbody>\n"
        for (index, row) in report.rows.enumerated() {
            out += rowStart(row, index: index)
            out += Emotion.allCases.map { emotion in
                cell((changes ? row.emotionChanges : row.emotionMeans).map { Formatting.number($0[emotion.rawValue], decimals: 3) })
            }.joined()
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>"
    }

    static func headerCells(_ headers: [String]) -> String {
        headers.map { $0 == "Task" ? "<th class=\"name\">Task</th>" : "<th>\(XMLText.escape($0))</th>" }.joined()
    }

    /// `<tr>` with the row number and the task name cells.
    static func rowStart(_ row: ReportRow, index: Int) -> String {
        (row.isWholeSession ? "<tr class=\"whole\">" : "<tr>")
            + "<td>\(row.isWholeSession ? "" : String(index + 1))</td><td class=\"name\">\(XMLText.escape(row.task))</td>"
    }

    /// `[h:]m:ss.t`, rounded to the tenth of a second, always with the tenth so a table's times line up
    /// (`72` → `1:12.0`, `72.25` → `1:12.3`, `15.967` → `0:16.0`).
    static func shortClock(_ seconds: Double) -> String {
        String(TimeValue.clock((seconds * 10).rounded() / 10).dropLast(2))   // [h:]mm:ss.fff without "00"
    }

    /// A value cell with its 95 % interval in small type under it (when there is one).
    static func cell(_ value: String?, interval: ClosedRange<Double>?, decimals: Int) -> String {
        guard let value, let interval else { return cell(value) }
        return "<td>\(XMLText.escape(value))<br/><span class=\"ci\">\(Formatting.number(interval.lowerBound, decimals: decimals))"
            + "–\(Formatting.number(interval.upperBound, decimals: decimals))</span></td>"
    }

    /// A value cell, or a dimmed dash where the value is undefined.
    static func cell(_ value: String?) -> String {
        guard let value else { return "<td class=\"empty\" title=\"no face samples\">–</td>" }
        return "<td>\(XMLText.escape(value))</td>"
    }

    /// A small horizontal stacked bar of the mean probabilities, in the chart's colours and order.
    static func mixBar(_ means: [Double]?) -> String {
        guard let means else { return "" }
        let width = 120.0
        var x = 0.0
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mix\" width=\"120\" height=\"12\" viewBox=\"0 0 120 12\">"
        out += "<title>" + EmotionPalette.stackOrder.map { "\($0.name) \(Formatting.number(means[$0.rawValue], decimals: 3))" }
            .joined(separator: ", ") + "</title>"
        for emotion in EmotionPalette.stackOrder {
            let w = width * means[emotion.rawValue]
            out += "<rect class=\"e-\(emotion.name)\" x=\"\(Formatting.number(x, decimals: 2))\" y=\"0\" "
                + "width=\"\(Formatting.number(w, decimals: 2))\" height=\"12\"/>"
            x += w
        }
        return out + "</svg>"
    }
}
