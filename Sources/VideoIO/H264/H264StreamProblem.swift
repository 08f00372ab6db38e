/// Why an H.264 stream cannot be analysed further: its bytes break the syntax (§7.3 of ITU-T H.264), or it
/// uses a feature `H264ReferenceAnalyzer` deliberately does not follow. `reason` is one line.
struct H264StreamProblem: Error, Equatable {
    let reason: String

    init(_ reason: String) { self.reason = reason }
}
