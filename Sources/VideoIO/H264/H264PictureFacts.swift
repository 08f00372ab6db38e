/// What one H.264 access unit (one packet, one picture) is, from its slice NAL units.
struct H264PictureFacts: Equatable {
    /// nal_ref_idc ≠ 0: later pictures may predict from it.
    let isReference: Bool
    /// It has B slices (FFmpeg's `skip_frame = AVDISCARD_BIDIR` drops it).
    let isBidirectional: Bool
}
