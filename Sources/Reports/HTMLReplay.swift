import Foundation
import SessionStore

/// The recording a report page plays beside its chart (`HTMLReport.page(_:replay:)`).
public struct Replay: Sendable, Equatable {
    /// The recording as a URL relative to the page (`ReplaySource.relativeURL`), already percent-encoded;
    /// nil when there is none to reference (the page then says so and the chart still works).
    public var source: String?
    /// What the page names the recording in its note when it cannot be played (e.g. its path).
    public var name: String

    public init(source: String?, name: String) {
        self.source = source
        self.name = name
    }
}

/// The replay part of a report page: the video, the chart cursor, the strongest moments per task and the
/// inline script that ties them together (no network; works from `file://`).
extension HTMLReport {
    /// The moments the page lists: per task the strongest negative and strongest positive, found as
    /// `clips` finds them (`MomentFinder`, default smoothing and support), over the report's tasks.
    public static func replayMoments(_ report: SessionReport) -> [Moment] {
        var options = MomentOptions()
        options.kinds = [.negative, .positive]
        return MomentFinder.moments(timeline: report.timeline, tasks: report.segments, options: options)
    }

    /// The video and its "not reachable" note.
    static func replayVideo(_ replay: Replay) -> String {
        let note = "The recording (\(replay.name)) cannot be played from here: it is not beside this page where the "
            + "report expected it, or this browser cannot decode it. The chart and the tables still work."
        return "<div class=\"replay\">\n"
            + "<video id=\"replay-video\" controls=\"controls\" preload=\"auto\""
            + (replay.source.map { " src=\"\(XMLText.escape($0))\"" } ?? "") + "></video>\n"
            + "<p id=\"replay-note\" class=\"replay-note\" hidden=\"hidden\">\(XMLText.escape(note))</p>\n"
            + "<p class=\"replay-hint\">Click the chart or a task's label to play the recording from there.</p>\n"
            + "</div>"
    }

    /// The strongest moments per task, each time a link that seeks the video.
    static func momentTable(_ moments: [Moment]) -> String {
        guard !moments.isEmpty else {
            return "<h3>Strongest moments</h3>\n<p class=\"definition\">No task has a moment: no stretch of smoothed "
                + "samples with a face and a valence other than 0.</p>"
        }
        var out = "<h3>Strongest moments</h3>\n<p class=\"definition\">Per task, the lowest and the highest valence of "
            + "the samples smoothed over 2 s (as `emotelab clips` finds them); a time plays the recording from there.</p>\n"
            + "<div class=\"table-wrap\"><table class=\"moments\">\n<thead><tr>"
            + headerCells(["#", "Task", "Moment", "Time", "Emotion", "Valence"]) + "</tr></thead>\n<tbody>\n"
        for moment in moments {
            let time = TimelineChart.exact(moment.time)
            out += "<tr class=\"moment \(moment.kind.rawValue)\"><td>\(moment.taskIndex + 1)</td>"
                + "<td class=\"name\">\(XMLText.escape(moment.taskName))</td><td>\(moment.kind.rawValue)</td>"
                + "<td><a class=\"seek\" href=\"#t=\(time)\" data-time=\"\(time)\">\(shortClock(moment.time))</a></td>"
                + "<td>\(moment.emotion.name)</td><td>\(Formatting.number(moment.score, decimals: 3))</td></tr>\n"
        }
        return out + "</tbody>\n</table></div>"
    }

    static let replayStyle = """
        .replay-layout { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
        .replay-layout .replay { flex: 0 1 320px; }
        .replay-layout figure { flex: 1 1 600px; min-width: 0; }
        .replay video { width: 100%; background: #000; border-radius: 4px; }
        .replay-note { color: #bc4c00; font-size: 12px; }
        .replay-hint { color: #57606a; font-size: 12px; margin: 4px 0 0; }
        svg.chart.seekable { cursor: pointer; }
        svg.chart .cursor { stroke: #cf222e; stroke-width: 2; pointer-events: none; }
        table.moments { width: auto; }
        """

    /// The page's script: maps times to the chart's x with the scale the SVG carries (`data-t0`, `data-t1`,
    /// `data-x0`, `data-x1`), seeks on clicks on the chart, a task label, a stretch of the others strip (to
    /// its start) or a listed time (moments, others in view), moves the cursor while the video plays, and
    /// shows the note when the video cannot be loaded. Inside CDATA so the page still parses as XML; it has
    /// no `]]>`.
    static let replayScript = """
        <script>
        //<![CDATA[
        (function () {
          "use strict";
          var svg = document.querySelector("svg.chart");
          var video = document.getElementById("replay-video");
          var note = document.getElementById("replay-note");
          if (!svg) { return; }
          var cursor = svg.querySelector(".cursor");
          var t0 = Number(svg.getAttribute("data-t0")), t1 = Number(svg.getAttribute("data-t1"));
          var x0 = Number(svg.getAttribute("data-x0")), x1 = Number(svg.getAttribute("data-x1"));
          var playable = !!(video && video.getAttribute("src"));
          function clamp(v, low, high) { return Math.min(Math.max(v, low), high); }
          function xOf(t) { return x0 + clamp((t - t0) / (t1 - t0), 0, 1) * (x1 - x0); }
          function tOf(x) { return t0 + clamp((x - x0) / (x1 - x0), 0, 1) * (t1 - t0); }
          function showCursor(t) {
            if (!cursor || !isFinite(t)) { return; }
            var x = String(xOf(t));
            cursor.setAttribute("x1", x);
            cursor.setAttribute("x2", x);
            cursor.setAttribute("data-time", String(t));
            cursor.setAttribute("visibility", "visible");
          }
          function unavailable() {
            playable = false;
            if (note) { note.hidden = false; }
            document.documentElement.classList.add("no-video");
          }
          function seek(t) {
            showCursor(t);
            if (!playable) { return; }
            try { video.currentTime = t; } catch (error) { unavailable(); }
          }
          if (video) {
            video.addEventListener("error", unavailable);
            video.addEventListener("timeupdate", function () { showCursor(video.currentTime); });
            video.addEventListener("seeked", function () { showCursor(video.currentTime); });
            if (!playable || video.error) { unavailable(); }
          }
          svg.classList.add("seekable");
          svg.addEventListener("click", function (event) {
            var label = event.target.closest ? event.target.closest(".band-label-group, .others-stretch") : null;
            if (label) { seek(Number(label.getAttribute("data-start"))); return; }
            var matrix = svg.getScreenCTM();
            if (!matrix) { return; }
            var point = svg.createSVGPoint();
            point.x = event.clientX;
            point.y = event.clientY;
            seek(tOf(point.matrixTransform(matrix.inverse()).x));
          });
          Array.prototype.forEach.call(document.querySelectorAll("a.seek"), function (link) {
            link.addEventListener("click", function (event) {
              event.preventDefault();
              seek(Number(link.getAttribute("data-time")));
              if (playable && video.scrollIntoView) { video.scrollIntoView({ block: "nearest" }); }
            });
          });
          window.emotelabReplay = { seek: seek, xOf: xOf, tOf: tOf };
        })();
        //]]>
        </script>
        """
}
