/// The fields of an H.264 sequence parameter set (§7.3.2.1.1) that slice headers and reference marking
/// depend on. Parsing stops after `frame_mbs_only_flag` (and `mb_adaptive_frame_field_flag`): nothing later
/// affects the slice header fields `H264ReferenceAnalyzer` reads.
struct H264SequenceParameterSet: Equatable {
    let profileIDC: Int
    let id: Int
    let chromaFormatIDC: Int
    let separateColourPlane: Bool
    /// log2(MaxFrameNum): frame_num takes this many bits.
    let log2MaxFrameNum: Int
    let picOrderCountType: Int
    /// Bits of pic_order_cnt_lsb (POC type 0).
    let log2MaxPicOrderCountLSB: Int
    /// POC type 1: whether delta_pic_order_cnt is absent from slice headers.
    let deltaPicOrderAlwaysZero: Bool
    let maxNumRefFrames: Int
    let gapsInFrameNumAllowed: Bool
    let widthInMacroblocks: Int
    let heightInMapUnits: Int
    let frameMacroblocksOnly: Bool

    var maxFrameNum: Int { 1 << log2MaxFrameNum }
    /// ChromaArrayType (§7.4.2.1.1): 0 for monochrome or separately coded colour planes.
    var chromaArrayType: Int { separateColourPlane ? 0 : chromaFormatIDC }

    /// Profiles whose SPS carries chroma format, bit depths and scaling matrices.
    private static let highProfiles: Set<Int> = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    /// Parses the SPS NAL unit `nal` (header byte first).
    init(nal: UnsafeRawBufferPointer) throws {
        var reader = H264BitReader(nal, from: 1)
        profileIDC = Int(try reader.bits(8))
        try reader.skip(16)  // constraint_set flags, reserved_zero_2bits, level_idc
        id = try reader.ue("seq_parameter_set_id", max: 31)
        var chromaFormat = 1
        var separatePlanes = false
        if Self.highProfiles.contains(profileIDC) {
            chromaFormat = try reader.ue("chroma_format_idc", max: 3)
            if chromaFormat == 3 { separatePlanes = try reader.flag() }
            _ = try reader.ue("bit_depth_luma_minus8", max: 6)
            _ = try reader.ue("bit_depth_chroma_minus8", max: 6)
            try reader.skip(1)  // qpprime_y_zero_transform_bypass_flag
            if try reader.flag() {  // seq_scaling_matrix_present_flag
                for list in 0..<(chromaFormat == 3 ? 12 : 8) where try reader.flag() {
                    try Self.skipScalingList(&reader, size: list < 6 ? 16 : 64)
                }
            }
        }
        chromaFormatIDC = chromaFormat
        separateColourPlane = separatePlanes
        log2MaxFrameNum = try reader.ue("log2_max_frame_num_minus4", max: 12) + 4
        picOrderCountType = try reader.ue("pic_order_cnt_type", max: 2)
        var lsbBits = 0
        var alwaysZero = false
        if picOrderCountType == 0 {
            lsbBits = try reader.ue("log2_max_pic_order_cnt_lsb_minus4", max: 12) + 4
        } else if picOrderCountType == 1 {
            alwaysZero = try reader.flag()
            _ = try reader.se()  // offset_for_non_ref_pic
            _ = try reader.se()  // offset_for_top_to_bottom_field
            let cycle = try reader.ue("num_ref_frames_in_pic_order_cnt_cycle", max: 255)
            for _ in 0..<cycle { _ = try reader.se() }  // offset_for_ref_frame
        }
        log2MaxPicOrderCountLSB = lsbBits
        deltaPicOrderAlwaysZero = alwaysZero
        maxNumRefFrames = try reader.ue("max_num_ref_frames", max: 16)
        gapsInFrameNumAllowed = try reader.flag()
        widthInMacroblocks = try reader.ue("pic_width_in_mbs_minus1", max: 1 << 16) + 1
        heightInMapUnits = try reader.ue("pic_height_in_map_units_minus1", max: 1 << 16) + 1
        frameMacroblocksOnly = try reader.flag()
        if !frameMacroblocksOnly { try reader.skip(1) }  // mb_adaptive_frame_field_flag
    }

    /// Reads past one scaling_list() of `size` coefficients (§7.3.2.1.1.1): delta_scale values until the
    /// list ends or nextScale becomes 0 (the rest then repeat the last scale and are not coded).
    private static func skipScalingList(_ reader: inout H264BitReader, size: Int) throws {
        var lastScale = 8
        var nextScale = 8
        for _ in 0..<size {
            if nextScale != 0 {
                let delta = try reader.se()
                guard (-128...127).contains(delta) else { throw H264StreamProblem("delta_scale is out of range") }
                nextScale = (lastScale + delta + 256) % 256
            }
            if nextScale != 0 { lastScale = nextScale }
        }
    }
}
