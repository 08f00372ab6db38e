#ifndef EMOTELAB_CFFMPEG_SHIM_H
#define EMOTELAB_CFFMPEG_SHIM_H
#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/error.h>

/* Function-like macros do not import into Swift; expose them here. */
static inline int emotelab_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int emotelab_averror_eof(void) { return AVERROR_EOF; }
static inline int emotelab_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int64_t emotelab_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int emotelab_averror_stream_not_found(void) { return AVERROR_STREAM_NOT_FOUND; }
static inline int emotelab_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
#endif
