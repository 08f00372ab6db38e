/// The part of an H.264 slice header (§7.3.3) that decides reference pictures: read up to and including
/// dec_ref_pic_marking(). Frames only, short-term references only: field pictures, redundant pictures and
/// long-term references are rejected as unsupported (`H264StreamProblem`).
struct H264SliceHeader {
    /// One ref_pic_list_modification() step for short-term pictures (§7.4.3.1).
    enum ListModification: Equatable {
        /// modification_of_pic_nums_idc 0: picNumPred − (abs_diff_pic_num_minus1 + 1).
        case subtract(Int)
        /// modification_of_pic_nums_idc 1: picNumPred + (abs_diff_pic_num_minus1 + 1).
        case add(Int)
    }

    /// How a reference picture updates the set of short-term references (§8.2.5).
    enum Marking: Equatable {
        /// Not a reference picture.
        case none
        /// An IDR picture: every earlier reference is dropped.
        case idr
        /// The sliding window: the oldest reference goes once the buffer is full.
        case slidingWindow
        /// memory_management_control_operation 1 only: each value is a difference_of_pic_nums_minus1.
        case removeShortTerm([Int])
    }

    let sliceType: H264SliceType
    let firstMacroblock: Int
    let isIDR: Bool
    let nalRefIDC: Int
    let pictureParameterSetID: Int
    let frameNum: Int
    /// num_ref_idx_l0_active_minus1 + 1 for P, SP and B slices, else 0.
    let activeReferencesL0: Int
    let list0Modifications: [ListModification]
    let marking: Marking

    /// The first two fields, first_mb_in_slice and slice_type, of the slice NAL unit `nal`.
    static func peek(nal: UnsafeRawBufferPointer) throws -> (firstMacroblock: Int, sliceType: H264SliceType) {
        var reader = H264BitReader(nal, from: 1)
        let first = try reader.ue("first_mb_in_slice", max: 1 << 20)
        let type = try reader.ue("slice_type", max: 9)
        return (first, H264SliceType(rawValue: type % 5)!)
    }

    /// Parses the slice NAL unit `nal` (type 1 or 5, header byte first) with the parameter sets seen so far.
    init(nal: UnsafeRawBufferPointer, sequenceSets: [Int: H264SequenceParameterSet],
         pictureSets: [Int: H264PictureParameterSet]) throws {
        let header = nal[0]
        nalRefIDC = Int(header >> 5) & 3
        isIDR = header & 0x1F == 5
        var reader = H264BitReader(nal, from: 1)
        firstMacroblock = try reader.ue("first_mb_in_slice", max: 1 << 20)
        sliceType = H264SliceType(rawValue: try reader.ue("slice_type", max: 9) % 5)!
        pictureParameterSetID = try reader.ue("pic_parameter_set_id", max: 255)
        guard let pps = pictureSets[pictureParameterSetID] else {
            throw H264StreamProblem("a slice refers to picture parameter set \(pictureParameterSetID), not seen")
        }
        guard let sps = sequenceSets[pps.sequenceParameterSetID] else {
            throw H264StreamProblem("a slice refers to sequence parameter set \(pps.sequenceParameterSetID), not seen")
        }
        guard sps.frameMacroblocksOnly else { throw H264StreamProblem("the stream may hold field pictures (interlaced)") }
        if isIDR && !(sliceType == .i || sliceType == .si) { throw H264StreamProblem("an IDR picture has a predicted slice") }
        if sps.separateColourPlane { try reader.skip(2) }  // colour_plane_id
        frameNum = Int(try reader.bits(sps.log2MaxFrameNum))
        if isIDR { _ = try reader.ue("idr_pic_id", max: 65535) }
        if sps.picOrderCountType == 0 {
            try reader.skip(sps.log2MaxPicOrderCountLSB)  // pic_order_cnt_lsb
            if pps.bottomFieldPicOrderInFramePresent { _ = try reader.se() }  // delta_pic_order_cnt_bottom
        } else if sps.picOrderCountType == 1 && !sps.deltaPicOrderAlwaysZero {
            _ = try reader.se()  // delta_pic_order_cnt[0]
            if pps.bottomFieldPicOrderInFramePresent { _ = try reader.se() }  // delta_pic_order_cnt[1]
        }
        if pps.redundantPicCountPresent, try reader.ue() > 0 {
            throw H264StreamProblem("the stream holds redundant pictures")
        }
        if sliceType == .b { try reader.skip(1) }  // direct_spatial_mv_pred_flag
        var active = (l0: 0, l1: 0)
        if sliceType.isPredictive || sliceType == .b {
            active = (pps.defaultActiveReferencesL0, pps.defaultActiveReferencesL1)
            if try reader.flag() {  // num_ref_idx_active_override_flag
                active.l0 = try reader.ue("num_ref_idx_l0_active_minus1", max: 31) + 1
                if sliceType == .b { active.l1 = try reader.ue("num_ref_idx_l1_active_minus1", max: 31) + 1 }
            }
        }
        activeReferencesL0 = active.l0
        var modifications: [ListModification] = []
        if sliceType != .i && sliceType != .si {
            modifications = try Self.readListModification(&reader, maxFrameNum: sps.maxFrameNum, limit: active.l0)
            if sliceType == .b {
                _ = try Self.readListModification(&reader, maxFrameNum: sps.maxFrameNum, limit: active.l1)
            }
        }
        list0Modifications = modifications
        if (pps.weightedPrediction && sliceType.isPredictive) || (pps.weightedBipredictionIDC == 1 && sliceType == .b) {
            try Self.skipPredictionWeights(&reader, chromaArrayType: sps.chromaArrayType,
                                           entries: sliceType == .b ? [active.l0, active.l1] : [active.l0])
        }
        marking = nalRefIDC == 0 ? .none : try Self.readMarking(&reader, isIDR: isIDR)
    }

    /// ref_pic_list_modification() of one list (§7.3.3.1); at most `limit` + 1 steps (§7.4.3.1).
    private static func readListModification(_ reader: inout H264BitReader, maxFrameNum: Int,
                                             limit: Int) throws -> [ListModification] {
        guard try reader.flag() else { return [] }  // ref_pic_list_modification_flag_lX
        var steps: [ListModification] = []
        while true {
            switch try reader.ue() {
            case 0: steps.append(.subtract(try reader.ue("abs_diff_pic_num_minus1", max: maxFrameNum - 1)))
            case 1: steps.append(.add(try reader.ue("abs_diff_pic_num_minus1", max: maxFrameNum - 1)))
            case 2: throw H264StreamProblem("a reference list names a long-term picture")
            case 3: return steps
            default: throw H264StreamProblem("modification_of_pic_nums_idc is out of range")
            }
            guard steps.count <= limit + 1 else { throw H264StreamProblem("a reference list has too many modifications") }
        }
    }

    /// pred_weight_table() (§7.3.3.2) for lists with `entries` active references each.
    private static func skipPredictionWeights(_ reader: inout H264BitReader, chromaArrayType: Int,
                                              entries: [Int]) throws {
        _ = try reader.ue("luma_log2_weight_denom", max: 7)
        if chromaArrayType != 0 { _ = try reader.ue("chroma_log2_weight_denom", max: 7) }
        for count in entries {
            for _ in 0..<count {
                if try reader.flag() { _ = try reader.se(); _ = try reader.se() }  // luma weight, offset
                if chromaArrayType != 0, try reader.flag() {
                    for _ in 0..<4 { _ = try reader.se() }  // Cb and Cr weight, offset
                }
            }
        }
    }

    /// dec_ref_pic_marking() (§7.3.3.3).
    private static func readMarking(_ reader: inout H264BitReader, isIDR: Bool) throws -> Marking {
        if isIDR {
            try reader.skip(1)  // no_output_of_prior_pics_flag
            if try reader.flag() { throw H264StreamProblem("an IDR picture is marked as a long-term reference") }
            return .idr
        }
        guard try reader.flag() else { return .slidingWindow }  // adaptive_ref_pic_marking_mode_flag
        var removals: [Int] = []
        while true {
            switch try reader.ue() {
            case 0: return .removeShortTerm(removals)
            case 1: removals.append(try reader.ue("difference_of_pic_nums_minus1", max: 1 << 17))
            case 2, 3, 4, 6: throw H264StreamProblem("the stream uses long-term reference pictures")
            case 5: throw H264StreamProblem("a picture clears all references (memory_management_control_operation 5)")
            default: throw H264StreamProblem("memory_management_control_operation is out of range")
            }
            guard removals.count <= 66 else { throw H264StreamProblem("a picture has too many memory management operations") }
        }
    }
}
