/// slice_type modulo 5 (Table 7-6).
enum H264SliceType: Int {
    case p = 0, b = 1, i = 2, sp = 3, si = 4

    /// Whether slices of this type predict from list 0 only (P and SP).
    var isPredictive: Bool { self == .p || self == .sp }
}
