import Foundation
import Reports

/// One clip to cut: which moment, from which recording, which span of it and under which file name.
public struct ClipRequest: Sendable, Equatable {
    public var moment: Moment
    public var sessionID: Int64
    /// The recording's name for people (`Session.displayNames`).
    public var sessionName: String
    /// The span of the recording the clip asks for, in seconds from its start. A stream-copied clip
    /// really starts at the keyframe at or before `start` (`ClipResult.start`).
    public var start: Double
    public var end: Double
    /// The clip's file name in the output folder (without extension).
    public var baseName: String

    public init(moment: Moment, sessionID: Int64, sessionName: String, start: Double, end: Double, baseName: String) {
        self.moment = moment
        self.sessionID = sessionID
        self.sessionName = sessionName
        self.start = start
        self.end = end
        self.baseName = baseName
    }
}

/// Turns moments into clip spans and file names.
public enum ClipPlanner {
    /// The longest clip a stretch gets (seconds): a long stretch is shown from its start.
    public static let longestStretchClip = 30.0

    /// The span of a clip of `moment`: `length` seconds centred on a negative or positive moment; a
    /// stretch with one second before and after it (at least `length`, centred; at most
    /// `longestStretchClip`, from its start). Kept inside [0, `duration`] when the duration is known,
    /// moved rather than shortened where it can be.
    public static func span(of moment: Moment, length: Double, duration: Double?) -> (start: Double, end: Double) {
        var start: Double, end: Double
        switch moment.kind {
        case .negative, .positive:
            start = moment.time - length / 2
            end = moment.time + length / 2
        case .stretch:
            start = moment.time - 1
            end = moment.end + 1
            if end - start < length {
                let middle = (moment.time + moment.end) / 2
                start = middle - length / 2
                end = middle + length / 2
            }
            end = min(end, start + longestStretchClip)
        }
        if start < 0 { end -= start; start = 0 }
        if let duration, duration > 0, end > duration {
            start = max(0, start - (end - duration))
            end = duration
        }
        return (start, end)
    }

    /// `task02-checkout-negative-1`, or with `sessionID` (a study reel) `task02-checkout-s7-negative-1`:
    /// the task's number first, so a folder listing sorted by name is the reel in task order.
    public static func baseName(taskNumber: Int, taskName: String, sessionID: Int64?, kind: MomentKind, rank: Int) -> String {
        let number = String(format: "task%02d", taskNumber)
        let slugged = slug(taskName)
        return ([number] + (slugged.isEmpty ? [] : [slugged]) + (sessionID.map { ["s\($0)"] } ?? [])
                + [kind.rawValue, String(rank)]).joined(separator: "-")
    }

    /// `name` for a file name: ASCII letters and digits in lower case, runs of anything else as one `-`,
    /// at most 40 characters, no `-` at either end.
    public static func slug(_ name: String) -> String {
        var out = ""
        for scalar in name.folding(options: .diacriticInsensitive, locale: nil).lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out += "-"
            }
        }
        out = String(out.prefix(40))
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }
}
