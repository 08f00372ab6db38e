import Foundation
import SessionStore

/// The report's inline SVG chart: stacked emotion probabilities, valence, face presence and a strip of the
/// stretches with others in view over time, with the tasks drawn as labelled bands across all of them and
/// point events as ticks.
struct TimelineChart {
    let timeline: [TimelineSample]
    let tasks: [TaskSegment]
    /// Point events, drawn as ticks across the panels (named in their tooltip and the report's list).
    var events: [TaskSegment] = []
    /// The end of the time axis in seconds.
    let end: Double
    /// The stretches in which faces besides the participant's were in view (`OthersInView`), drawn as
    /// marks in their own strip under the face strip, each exactly over its times.
    var others: [OthersStretch] = []
    /// Subtracted from every plotted valence (the report's `--baseline`); the valence axis then spans
    /// −2 … +2, the range of a baselined valence.
    var valenceBaseline: Double = 0

    /// The rolling-mean window in seconds (`TimelineSmoother`) applied to what is drawn; 0 draws the raw
    /// samples. The stored records and the tables are never smoothed.
    var smoothing: Double = 0

    /// The valence axis runs from −extent to +extent.
    var valenceExtent: Double { valenceBaseline == 0 ? 1 : 2 }

    // Geometry (pixels).
    static let width = 960.0
    static let left = 56.0, right = 16.0
    static let laneTop = 6.0, laneHeight = 16.0, lanes = 2
    static let stackTop = 58.0, stackHeight = 200.0
    static let valenceTop = 282.0, valenceHeight = 110.0
    static let faceTop = 410.0, faceHeight = 14.0
    static let othersTop = 428.0, othersHeight = 14.0
    /// The bottom of the lowest strip, where task bands, event ticks and axis ticks end.
    static let plotBottom = othersTop + othersHeight
    static let axisTop = 448.0
    static let height = 474.0
    /// At most this many time bins are drawn; samples in a bin are averaged.
    static let maxBins = 480

    var plotWidth: Double { Self.width - Self.left - Self.right }

    func x(_ time: Double) -> Double { Self.left + min(max(time / end, 0), 1) * plotWidth }

    /// The averaged contents of one time bin.
    struct Bin {
        var samples = 0
        var faces = 0
        var sums = [Double](repeating: 0, count: Emotion.allCases.count)
        var valenceSum = 0.0
        var presence: Double { Double(faces) / Double(samples) }
        func mean(_ emotion: Emotion) -> Double { sums[emotion.rawValue] / Double(faces) }
        var valence: Double { valenceSum / Double(faces) }
    }

    func bins() -> [Bin] {
        let count = max(1, min(Self.maxBins, timeline.count))
        var bins = [Bin](repeating: Bin(), count: count)
        for row in TimelineSmoother.rows(timeline, window: smoothing > 0 ? smoothing : nil) {
            let index = min(count - 1, max(0, Int(row.time / end * Double(count))))
            bins[index].samples += 1
            guard let probabilities = row.probabilities, let valence = row.valence else { continue }
            bins[index].faces += 1
            for emotion in Emotion.allCases { bins[index].sums[emotion.rawValue] += probabilities[emotion.rawValue] }
            bins[index].valenceSum += valence
        }
        return bins
    }

    /// Runs of consecutive bins that hold face samples.
    static func faceRuns(_ bins: [Bin]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start: Int?
        for (i, bin) in bins.enumerated() {
            if bin.faces > 0 { start = start ?? i } else if let s = start { runs.append(s..<i); start = nil }
        }
        if let s = start { runs.append(s..<bins.count) }
        return runs
    }

    static func f(_ value: Double) -> String { Formatting.number(value, decimals: 1) }

    func svg() -> String {
        let bins = bins()
        let binWidth = plotWidth / Double(bins.count)
        let edges = { (i: Int) in (Self.left + Double(i) * binWidth, Self.left + Double(i + 1) * binWidth) }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(Self.f(Self.width)) \(Self.f(Self.height))" \
            role="img" aria-label="\(ariaLabel)" \(scaleAttributes)>

            """
        // Task bands behind everything.
        out += "<g class=\"bands\">\n"
        for (i, task) in tasks.enumerated() {
            let x0 = x(task.start), x1 = x(task.end)
            out += "<rect class=\"band band\(i % 2)\" \(Self.span(task)) x=\"\(Self.f(x0))\" y=\"\(Self.f(Self.laneTop))\" "
                + "width=\"\(Self.f(max(x1 - x0, 0.5)))\" height=\"\(Self.f(Self.plotBottom - Self.laneTop))\">"
                + "<title>\(XMLText.escape(task.name)) (\(TimeValue.clock(task.start))–\(TimeValue.clock(task.end)))</title></rect>\n"
        }
        out += "</g>\n"

        // Panel frames and y labels.
        out += "<g class=\"frame\">\n"
        for (top, height) in [(Self.stackTop, Self.stackHeight), (Self.valenceTop, Self.valenceHeight), (Self.faceTop, Self.faceHeight),
                              (Self.othersTop, Self.othersHeight)] {
            out += "<rect x=\"\(Self.f(Self.left))\" y=\"\(Self.f(top))\" width=\"\(Self.f(plotWidth))\" height=\"\(Self.f(height))\"/>\n"
        }
        out += "</g>\n<g class=\"ylabels\">\n"
        out += label(Self.left - 6, Self.stackTop + 4, "1", anchor: "end")
        out += label(Self.left - 6, Self.stackTop + Self.stackHeight, "0", anchor: "end")
        let extentText = valenceBaseline == 0 ? "1" : "2"
        out += label(Self.left - 6, Self.valenceTop + 4, "+" + extentText, anchor: "end")
        out += label(Self.left - 6, Self.valenceTop + Self.valenceHeight / 2 + 4, "0", anchor: "end")
        out += label(Self.left - 6, Self.valenceTop + Self.valenceHeight, "−" + extentText, anchor: "end")
        out += label(Self.left - 6, Self.faceTop + 11, "face", anchor: "end")
        out += label(Self.left - 6, Self.othersTop + 11, "others", anchor: "end")
        out += "<text class=\"panel-title\" x=\"\(Self.f(Self.left + 4))\" y=\"\(Self.f(Self.stackTop - 5))\">emotion probabilities</text>\n"
        out += "<text class=\"panel-title\" x=\"\(Self.f(Self.left + 4))\" y=\"\(Self.f(Self.valenceTop - 5))\">\(valenceTitle)</text>\n"
        out += "</g>\n"

        // Stacked probabilities.
        let stackY = { (p: Double) in Self.stackTop + Self.stackHeight * (1 - p) }
        out += "<g class=\"stack\">\n"
        for run in Self.faceRuns(bins) {
            var lower = [Double](repeating: 0, count: run.count)
            for emotion in EmotionPalette.stackOrder {
                let upper = run.enumerated().map { k, i in lower[k] + bins[i].mean(emotion) }
                var points: [String] = []
                for (k, i) in run.enumerated() {
                    let (x0, x1) = edges(i)
                    points += ["\(Self.f(x0)),\(Self.f(stackY(upper[k])))", "\(Self.f(x1)),\(Self.f(stackY(upper[k])))"]
                }
                for (k, i) in run.enumerated().reversed() {
                    let (x0, x1) = edges(i)
                    points += ["\(Self.f(x1)),\(Self.f(stackY(lower[k])))", "\(Self.f(x0)),\(Self.f(stackY(lower[k])))"]
                }
                out += "<polygon class=\"e-\(emotion.name)\" points=\"\(points.joined(separator: " "))\"/>\n"
                lower = upper
            }
        }
        out += "</g>\n"

        // Valence.
        let extent = valenceExtent, baseline = valenceBaseline
        let valenceY = { (v: Double) in
            Self.valenceTop + Self.valenceHeight * (1 - (min(max(v - baseline, -extent), extent) / extent + 1) / 2)
        }
        out += "<line class=\"zero\" x1=\"\(Self.f(Self.left))\" y1=\"\(Self.f(valenceY(baseline)))\" "
            + "x2=\"\(Self.f(Self.left + plotWidth))\" y2=\"\(Self.f(valenceY(baseline)))\"/>\n<g class=\"valence\">\n"
        for run in Self.faceRuns(bins) {
            let points = run.flatMap { i -> [String] in
                let (x0, x1) = edges(i)
                let y = Self.f(valenceY(bins[i].valence))
                return ["\(Self.f(x0)),\(y)", "\(Self.f(x1)),\(y)"]
            }
            out += "<polyline points=\"\(points.joined(separator: " "))\"/>\n"
        }
        out += "</g>\n"

        // Face presence: one rectangle per stretch of bins with the same presence.
        out += "<g class=\"presence\">\n"
        var i = 0
        while i < bins.count {
            var j = i + 1
            guard bins[i].samples > 0 else { i = j; continue }
            while j < bins.count, bins[j].samples > 0, bins[j].presence == bins[i].presence { j += 1 }
            if bins[i].faces > 0 {
                let (x0, _) = edges(i), (_, x1) = edges(j - 1)
                out += "<rect x=\"\(Self.f(x0))\" y=\"\(Self.f(Self.faceTop))\" width=\"\(Self.f(x1 - x0))\" "
                    + "height=\"\(Self.f(Self.faceHeight))\" fill-opacity=\"\(Formatting.number(bins[i].presence, decimals: 2))\"/>\n"
            }
            i = j
        }
        out += "</g>\n"

        // Others in view: one mark per stretch, exactly over its times (at least half a unit wide so a
        // one-sample stretch of a long session still shows), named in its tooltip.
        out += "<g class=\"others\">\n"
        for stretch in others {
            let x0 = x(stretch.start), x1 = x(stretch.end)
            out += "<rect class=\"others-stretch\" data-start=\"\(Self.exact(stretch.start))\" data-end=\"\(Self.exact(stretch.end))\" "
                + "x=\"\(Self.f(x0))\" y=\"\(Self.f(Self.othersTop))\" width=\"\(Self.f(max(x1 - x0, 0.5)))\" "
                + "height=\"\(Self.f(Self.othersHeight))\"><title>\(XMLText.escape(Self.othersTitle(stretch)))</title></rect>\n"
        }
        out += "</g>\n"

        // Band edges and labels on top.
        out += "<g class=\"band-edges\">\n"
        for task in tasks {
            for edge in [x(task.start), x(task.end)] {
                out += "<line x1=\"\(Self.f(edge))\" y1=\"\(Self.f(Self.laneTop))\" x2=\"\(Self.f(edge))\" "
                    + "y2=\"\(Self.f(Self.plotBottom))\"/>\n"
            }
        }
        out += "</g>\n<g class=\"events\">\n"
        for event in events {
            let ex = x(event.start)
            out += "<g><title>\(XMLText.escape(event.name)) (\(TimeValue.clock(event.start)))</title>"
                + "<line x1=\"\(Self.f(ex))\" y1=\"\(Self.f(Self.stackTop - 4))\" x2=\"\(Self.f(ex))\" "
                + "y2=\"\(Self.f(Self.plotBottom))\"/>"
                + "<path d=\"M\(Self.f(ex - 4)),\(Self.f(Self.stackTop - 10)) h8 l-4,6 z\"/></g>\n"
        }
        out += "</g>\n<g class=\"band-labels\">\n"
        for placed in labelLayout() {
            let task = tasks[placed.index]
            let text = Self.fit("\(placed.index + 1). \(task.name)", width: placed.width - 6, fallback: "\(placed.index + 1)")
            guard !text.isEmpty else { continue }     // too narrow: the band's tooltip and the table name it
            // The whole name and times on hover, also when the label had to be cut.
            out += "<g class=\"band-label-group\" \(Self.span(task))><title>\(XMLText.escape("\(placed.index + 1). \(task.name)")) "
                + "(\(TimeValue.clock(task.start))–\(TimeValue.clock(task.end)))</title>"
                + "<text class=\"band-label\" x=\"\(Self.f(x(task.start) + 3))\" "
                + "y=\"\(Self.f(Self.laneTop + Self.laneHeight * Double(placed.lane) + 12))\">\(XMLText.escape(text))</text></g>\n"
        }
        out += "</g>\n"

        // Time axis.
        out += "<g class=\"axis\">\n"
        let step = Self.tickStep(end)
        var t = 0.0
        while t <= end + step * 1e-9 {
            out += "<line x1=\"\(Self.f(x(t)))\" y1=\"\(Self.f(Self.plotBottom))\" "
                + "x2=\"\(Self.f(x(t)))\" y2=\"\(Self.f(Self.axisTop))\"/>\n"
            out += tickText(x(t), Self.tickLabel(t, step: step))
            t += step
        }
        out += "</g>\n"
        // The replay cursor: hidden until the page's script moves it to the video's time.
        out += "<line class=\"cursor\" x1=\"\(Self.f(Self.left))\" y1=\"\(Self.f(Self.laneTop))\" x2=\"\(Self.f(Self.left))\" "
            + "y2=\"\(Self.f(Self.axisTop))\" visibility=\"hidden\"/>\n</svg>"
        return out
    }

    /// What the chart shows, for screen readers.
    var ariaLabel: String {
        "Emotion timeline with task bands" + (others.isEmpty ? "; no one besides the participant was in view"
            : "; others in view in \(others.count) stretch\(others.count == 1 ? "" : "es"), listed under the chart")
    }

    /// The tooltip of a stretch with others in view: `Others in view 0:12.0–0:31.0 (19.0 s; up to 2 other faces)`.
    static func othersTitle(_ stretch: OthersStretch) -> String {
        "Others in view \(OthersInView.span(stretch)) (\(Formatting.number(stretch.duration, decimals: 1)) s; "
            + (stretch.maxOthers == 1 ? "1 other face)" : "up to \(stretch.maxOthers) other faces)")
    }

    /// The chart's time → x scale for the page's script: times `data-t0` … `data-t1` (seconds) map
    /// linearly onto x `data-x0` … `data-x1` (viewBox units), as `x(_:)` draws them; times outside clamp.
    var scaleAttributes: String {
        "data-t0=\"0\" data-t1=\"\(Self.exact(end))\" data-x0=\"\(Self.exact(Self.left))\" "
            + "data-x1=\"\(Self.exact(Self.left + plotWidth))\""
    }

    /// A task's times as `data-start`/`data-end` attributes (seconds), which clicking its band seeks to.
    static func span(_ task: TaskSegment) -> String {
        "data-start=\"\(exact(task.start))\" data-end=\"\(exact(task.end))\""
    }

    /// A number for a data attribute: shortest round-trip decimal, so the script reads the same `Double`.
    static func exact(_ value: Double) -> String { "\(value)" }

    /// Where each task's label goes: tasks in time order take the first lane where the previous label has
    /// ended (its full text), else the lane that frees first; a label may then run only up to the start of
    /// the next label in its lane (or the plot's right edge), so labels never overlap, however short or
    /// overlapping the tasks, and a label is cut only when both lanes are busy.
    func labelLayout() -> [(index: Int, lane: Int, width: Double)] {
        let order = tasks.indices.sorted { (tasks[$0].start, $0) < (tasks[$1].start, $1) }
        var laneEnds = [Double](repeating: -.infinity, count: Self.lanes)
        var lanes: [Int: Int] = [:]
        for index in order {
            let start = x(tasks[index].start)
            let lane = laneEnds.firstIndex { $0 <= start } ?? laneEnds.indices.min { laneEnds[$0] < laneEnds[$1] }!
            lanes[index] = lane
            laneEnds[lane] = start + Self.textWidth("\(index + 1). \(tasks[index].name)") + 6
        }
        return order.enumerated().map { position, index in
            let lane = lanes[index]!
            let next = order[(position + 1)...].first { lanes[$0] == lane }
            let limit = next.map { x(tasks[$0].start) } ?? Self.width - Self.right
            return (index, lane, max(limit - x(tasks[index].start), 0))
        }
    }

    /// A tick label centred under its tick, or right-aligned to it when centring would run past the
    /// chart's right edge (the last tick of an hour-long session, `1:00:00`).
    func tickText(_ x: Double, _ text: String) -> String {
        // Tick labels are 11 px regular; the bold label widths scaled to that size over-estimate them.
        let half = Self.textWidth(text) * 11 / Self.labelFontSize / 2
        return label(x, Self.axisTop + 14, text, anchor: x + half > Self.width ? "end" : "middle")
    }

    /// The valence panel's title, naming the baseline when one is subtracted.
    var valenceTitle: String {
        valenceBaseline == 0 ? "valence"
            : "valence − baseline (\(Formatting.number(valenceBaseline, decimals: 3)))"
    }

    func label(_ x: Double, _ y: Double, _ text: String, anchor: String) -> String {
        "<text x=\"\(Self.f(x))\" y=\"\(Self.f(y))\" text-anchor=\"\(anchor)\">\(XMLText.escape(text))</text>\n"
    }

    /// Advance widths (em) of ASCII 32…126 in DejaVu Sans Bold, the labels' font (read from the font's
    /// hmtx table); other fonts of the stack are narrower, so estimates err on the wide side.
    static let asciiAdvances: [Double] = [
        0.348, 0.456, 0.521, 0.838, 0.696, 1.002, 0.872, 0.306, 0.457, 0.457, 0.523, 0.838, 0.38, 0.415, 0.38, 0.365,
        0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.696, 0.4, 0.4, 0.838, 0.838, 0.838, 0.58,
        1.0, 0.774, 0.762, 0.734, 0.83, 0.683, 0.683, 0.821, 0.837, 0.372, 0.372, 0.775, 0.637, 0.995, 0.837, 0.85,
        0.733, 0.85, 0.77, 0.72, 0.682, 0.812, 0.774, 1.103, 0.771, 0.724, 0.725, 0.457, 0.365, 0.457, 0.838, 0.5,
        0.5, 0.675, 0.716, 0.593, 0.716, 0.678, 0.435, 0.716, 0.712, 0.343, 0.343, 0.665, 0.343, 1.042, 0.712, 0.687,
        0.716, 0.716, 0.493, 0.595, 0.478, 0.712, 0.652, 0.924, 0.645, 0.652, 0.582, 0.712, 0.365, 0.712, 0.838,
    ]
    /// The band labels' font size in chart units.
    static let labelFontSize = 12.0

    /// The estimated width of `text` as a band label: ASCII from DejaVu Sans Bold's advances, East Asian
    /// wide characters 1 em, emoji 1.25 em, anything else 0.8 em.
    static func textWidth(_ text: String) -> Double {
        text.reduce(0) { total, character in
            guard let scalar = character.unicodeScalars.first else { return total }
            let em: Double
            if (32...126).contains(scalar.value) {
                em = asciiAdvances[Int(scalar.value) - 32]
            } else if scalar.properties.isEmojiPresentation || character.unicodeScalars.count > 1 && scalar.properties.isEmoji {
                em = 1.25
            } else if EastAsianWidth.isWide(scalar) {
                em = 1.0
            } else {
                em = 0.8
            }
            return total + em * labelFontSize
        }
    }

    /// `text` cut with an ellipsis to fit `width`; when not even a letter of it fits, `fallback` (the
    /// task's number) if that fits, else nothing.
    static func fit(_ text: String, width: Double, fallback: String = "") -> String {
        guard textWidth(text) > width else { return text }
        var prefix = ""
        for character in text {
            guard textWidth(prefix + String(character) + "…") <= width else { break }
            prefix.append(character)
        }
        if prefix.count >= fallback.count + 1, !prefix.trimmingCharacters(in: .whitespaces).hasSuffix(".") {
            return prefix.trimmingCharacters(in: .whitespaces) + "…"
        }
        return textWidth(fallback) <= width ? fallback : ""
    }

    /// A tick spacing that gives at most 10 ticks.
    static func tickStep(_ end: Double) -> Double {
        let steps: [Double] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200]
        return steps.first { end / $0 <= 10 } ?? (end / 10).rounded(.up)
    }

    static func tickLabel(_ t: Double, step: Double) -> String {
        if step < 1 { return Formatting.number(t, decimals: 1) + " s" }
        let seconds = Int(t.rounded())
        if seconds >= 3600 { return String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60) }
        return String(format: "%d:%02d", seconds / 60, seconds % 60)
    }
}
