import Foundation
import SessionStore

/// The study page: one self-contained XHTML page (no scripts, fonts or network) comparing participants
/// per task — for engagement, satisfaction, face presence and others in view a strip per task with one mark per
/// participant and the mean with its 95 % interval, then a participant × task heat map — with the
/// definitions beside the figures and links to each participant's own page.
public enum StudyHTML {
    /// Marks the page as a study page (for replacing an earlier one without `--overwrite`).
    static let marker = "emotelab-study-report"

    /// True when `file` is an earlier study page.
    public static func isStudyPage(_ file: Data) -> Bool {
        String(data: file, encoding: .utf8)?.contains("<meta name=\"\(marker)\" content=\"1\"/>") == true
    }

    /// One figure compared across participants.
    struct Figure {
        let title: String
        let definition: String
        let value: (ReportRow) -> Double?
        let summary: (TaskSummary) -> MeanInterval?
        /// Scale of the values: 0…`scale` (100 for scores, 1 for presence, shown as %).
        let scale: Double
        let percent: Bool
    }

    static let figures = [
        Figure(title: "Engagement", definition: "how expressive the face was while it was seen: 100 × mean of (1 − p(neutral)) over the samples with the face (0–100). Absence does not lower it.",
               value: \.engagement, summary: \.engagement, scale: 100, percent: false),
        Figure(title: "Satisfaction", definition: "50 × (1 + mean valence), 0–100; 50 is a neutral face. Valence per sample is p(happy) − max(p(angry), p(disgust), p(fear), p(sad)).",
               value: \.satisfaction, summary: \.satisfaction, scale: 100, percent: false),
        Figure(title: "Face presence", definition: "the share of samples in which the participant's face was seen.",
               value: \.facePresence, summary: \.presence, scale: 1, percent: true),
        Figure(title: "Others in view", definition: "the share of samples in which a face besides the participant's was found (a moderator, an observer, a bystander). Each participant's page lists the stretches.",
               value: \.othersInView, summary: \.othersInView, scale: 1, percent: true),
    ]

    /// The page. `pages` maps a participant's label to the (relative) address of their own page.
    public static func page(_ study: StudyReport, pages: [String: String] = [:], generator: String = "EmoteLab") -> String {
        let title = "Study report: \(study.participants.count) participant\(study.participants.count == 1 ? "" : "s")"
        var body = "<h1>\(XMLText.escape(title))</h1>\n<p class=\"caveat\">\(XMLText.escape(HTMLReport.caveat))</p>\n"
        body += "<h2>Participants</h2>\n" + participants(study, pages: pages)
        body += """
            <h2>How to read the figures</h2>
            <p class="how">Each task has a strip per figure: one dot per participant (hover for the name), the black bar is the mean over the participants and the grey band its 95 % interval (mean ± t × SD / √n, each participant counting once). n is the number of participants with a value; with n below 3 the interval is wide or missing, which is the honest answer.</p>

            """
        for figure in figures {
            body += "<h2>\(XMLText.escape(figure.title)) per task</h2>\n<p class=\"definition\"><b>\(XMLText.escape(figure.title)):</b> "
                + "\(XMLText.escape(figure.definition))</p>\n" + comparison(study, figure: figure)
        }
        body += "<h2>Participant × task</h2>\n"
        for figure in figures.prefix(2) {
            body += "<h3>\(XMLText.escape(figure.title))</h3>\n<p class=\"definition\">\(XMLText.escape(figure.definition)) "
                + "Darker is higher; a dash: no face sample in that task.</p>\n" + heatMap(study, figure: figure, pages: pages)
        }
        return """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="generator" content="\(XMLText.escape(generator))"/>
            <meta name="\(marker)" content="1"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(XMLText.escape(title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            \(body)<p class="footer">Made by \(XMLText.escape(generator)).</p>
            </body>
            </html>

            """
    }

    static let style = """
        body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1f2328; margin: 24px auto; max-width: 1060px; padding: 0 16px; font-size: 14px; }
        h1 { font-size: 22px; margin-bottom: 4px; }
        h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
        h3 { font-size: 14px; margin: 16px 0 6px; }
        .caveat, .how { color: #57606a; }
        .caveat { font-style: italic; margin-top: 0; }
        .definition { font-size: 12px; color: #424a53; margin: 0 0 8px; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 12px; }
        th, td { padding: 4px 6px; border-bottom: 1px solid #d0d7de; text-align: right; white-space: nowrap; vertical-align: middle; }
        th { background: #f6f8fa; font-weight: 600; white-space: normal; vertical-align: bottom; }
        td.name, th.name { text-align: left; white-space: normal; overflow-wrap: anywhere; min-width: 8em; max-width: 18em; }
        td.strip { width: 45%; min-width: 160px; padding: 2px 6px; }
        td.strip svg { width: 100%; height: 26px; display: block; }
        .dot { fill: #4c78a8; fill-opacity: 0.75; }
        .ci { fill: #8c959f; fill-opacity: 0.35; }
        .mean { fill: #1f2328; }
        .grid line { stroke: #d0d7de; }
        .grid text { fill: #57606a; font-size: 9px; }
        td.heat { text-align: center; min-width: 3.5em; }
        td.empty { color: #8c959f; }
        .footer { color: #57606a; font-size: 12px; margin-top: 16px; }
        ul.participants { padding-left: 20px; }
        """

    static func participants(_ study: StudyReport, pages: [String: String]) -> String {
        "<ul class=\"participants\">\n" + study.participants.map { participant in
            let run = participant.report.run
            let name = pages[participant.label].map { "<a href=\"\(XMLText.escape($0))\">\(XMLText.escape(participant.label))</a>" }
                ?? XMLText.escape(participant.label)
            let events = participant.report.events.map { "\(HTMLReport.shortClock($0.start)) \($0.name)" }
            let whole = participant.report.wholeSession
            let others = whole.othersSamples > 0 ? whole.othersInView.map {
                "; others in view \(Formatting.number($0 * 100, decimals: 1)) % of the samples (\(OthersInView.list(participant.report.othersStretches)))"
            } ?? "" : ""
            return "<li>\(name): \(XMLText.escape(participant.report.sessionName)), run \(run.id), model "
                + "\(XMLText.escape(participant.model)), baseline \(XMLText.escape(participant.baseline))"
                + (events.isEmpty ? "" : "; events: \(XMLText.escape(events.joined(separator: ", ")))")
                + XMLText.escape(others) + "</li>"
        }.joined(separator: "\n") + "\n</ul>\n"
    }

    static func format(_ value: Double, _ figure: Figure) -> String {
        figure.percent ? Formatting.number(value * 100, decimals: 1) + " %" : Formatting.number(value, decimals: 1)
    }

    /// One row per task: name, n, mean with interval, and the strip.
    static func comparison(_ study: StudyReport, figure: Figure) -> String {
        var out = "<div class=\"table-wrap\"><table>\n<thead><tr><th class=\"name\">Task</th><th>n</th><th>Mean</th>"
            + "<th>SD</th><th>95 % interval</th><th>0 … \(figure.percent ? "100 %" : "100") (each dot a participant)</th></tr></thead>\n<tbody>\n"
        for summary in study.summaries {
            let stats = figure.summary(summary)
            out += "<tr><td class=\"name\">\(XMLText.escape(summary.task))</td><td>\(stats?.n ?? 0)</td>"
            out += HTMLReport.cell(stats.map { format($0.mean, figure) }) + HTMLReport.cell(stats?.sd.map { format($0, figure) })
            out += HTMLReport.cell(stats?.low.flatMap { low in stats?.high.map { "\(format(low, figure)) – \(format($0, figure))" } })
            out += "<td class=\"strip\">\(strip(study, task: summary.task, stats: stats, figure: figure))</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    /// The strip of one task: a grid at 0, 25, 50, 75, 100 %, the interval, the mean and a dot per participant.
    static func strip(_ study: StudyReport, task: String, stats: MeanInterval?, figure: Figure) -> String {
        let width = 400.0, pad = 6.0
        let x = { (v: Double) in pad + min(max(v / figure.scale, 0), 1) * (width - 2 * pad) }
        let f = { (v: Double) in Formatting.number(v, decimals: 1) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) 26\" preserveAspectRatio=\"none\" "
            + "role=\"img\" aria-label=\"\(XMLText.escape(figure.title)) of \(XMLText.escape(task)) per participant\">"
        out += "<g class=\"grid\">" + [0.0, 0.25, 0.5, 0.75, 1].map { q in
            "<line x1=\"\(f(x(q * figure.scale)))\" y1=\"2\" x2=\"\(f(x(q * figure.scale)))\" y2=\"24\"/>"
        }.joined() + "</g>"
        if let stats, let low = stats.low, let high = stats.high {
            out += "<rect class=\"ci\" x=\"\(f(x(low)))\" y=\"5\" width=\"\(f(max(x(high) - x(low), 1)))\" height=\"16\">"
                + "<title>95 % interval \(format(low, figure)) – \(format(high, figure))</title></rect>"
        }
        for participant in study.participants {
            guard let value = study.row(participant, task: task).flatMap(figure.value) else { continue }
            out += "<circle class=\"dot\" cx=\"\(f(x(value)))\" cy=\"13\" r=\"4\"><title>\(XMLText.escape(participant.label)): "
                + "\(format(value, figure))</title></circle>"
        }
        if let stats {
            out += "<rect class=\"mean\" x=\"\(f(x(stats.mean) - 1.5))\" y=\"3\" width=\"3\" height=\"20\">"
                + "<title>mean \(format(stats.mean, figure))</title></rect>"
        }
        return out + "</svg>"
    }

    /// Participants as rows, tasks as columns, each cell shaded by its value.
    static func heatMap(_ study: StudyReport, figure: Figure, pages: [String: String]) -> String {
        var out = "<div class=\"table-wrap\"><table>\n<thead><tr><th class=\"name\">Participant</th>"
            + study.tasks.map { "<th>\(XMLText.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for participant in study.participants {
            let name = pages[participant.label].map { "<a href=\"\(XMLText.escape($0))\">\(XMLText.escape(participant.label))</a>" }
                ?? XMLText.escape(participant.label)
            out += "<tr><td class=\"name\">\(name)</td>"
            for task in study.tasks {
                guard let value = study.row(participant, task: task).flatMap(figure.value) else {
                    out += "<td class=\"heat empty\">–</td>"
                    continue
                }
                let share = min(max(value / figure.scale, 0), 1)
                let text = share > 0.55 ? "#ffffff" : "#1f2328"
                out += "<td class=\"heat\" style=\"background: rgba(76, 120, 168, \(Formatting.number(0.08 + 0.85 * share, decimals: 2))); "
                    + "color: \(text)\">\(format(value, figure))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }
}
