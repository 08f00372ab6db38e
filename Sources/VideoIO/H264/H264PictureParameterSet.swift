/// The fields of an H.264 picture parameter set (§7.3.2.2) up to `redundant_pic_cnt_present_flag`: all
/// that slice headers depend on. PPSs with slice groups (FMO) are rejected as unsupported.
struct H264PictureParameterSet: Equatable {
    let id: Int
    let sequenceParameterSetID: Int
    let bottomFieldPicOrderInFramePresent: Bool
    /// num_ref_idx_l0_default_active_minus1 + 1.
    let defaultActiveReferencesL0: Int
    /// num_ref_idx_l1_default_active_minus1 + 1.
    let defaultActiveReferencesL1: Int
    let weightedPrediction: Bool
    let weightedBipredictionIDC: Int
    let redundantPicCountPresent: Bool

    /// Parses the PPS NAL unit `nal` (header byte first).
    init(nal: UnsafeRawBufferPointer) throws {
        var reader = H264BitReader(nal, from: 1)
        id = try reader.ue("pic_parameter_set_id", max: 255)
        sequenceParameterSetID = try reader.ue("seq_parameter_set_id", max: 31)
        try reader.skip(1)  // entropy_coding_mode_flag
        bottomFieldPicOrderInFramePresent = try reader.flag()
        guard try reader.ue() == 0 else {
            throw H264StreamProblem("picture parameter set \(id) uses slice groups (flexible macroblock ordering)")
        }
        defaultActiveReferencesL0 = try reader.ue("num_ref_idx_l0_default_active_minus1", max: 31) + 1
        defaultActiveReferencesL1 = try reader.ue("num_ref_idx_l1_default_active_minus1", max: 31) + 1
        weightedPrediction = try reader.flag()
        weightedBipredictionIDC = Int(try reader.bits(2))
        guard weightedBipredictionIDC <= 2 else { throw H264StreamProblem("weighted_bipred_idc is 3") }
        _ = try reader.se()  // pic_init_qp_minus26
        _ = try reader.se()  // pic_init_qs_minus26
        _ = try reader.se()  // chroma_qp_index_offset
        try reader.skip(2)  // deblocking_filter_control_present_flag, constrained_intra_pred_flag
        redundantPicCountPresent = try reader.flag()
    }
}
