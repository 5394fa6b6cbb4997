using System.Net.WebSockets;
using System.Text;
using static Sawt.EndToEnd.Tests.BadInput.RawJson;

namespace Sawt.EndToEnd.Tests.BadInput;

/// <summary>
/// The generated bad-input corpus of issue 7: every JSON string field of every endpoint crossed with every kind of
/// broken text, wrong types, missing fields, versions, unknown contexts, refused messages that must not act, query
/// strings and voice ids in paths, each with the code and socket state docs/protocol.md promises.
/// </summary>
internal static class BadInputCorpus
{
    /// <summary>The target context of <see cref="WsCase.UsesTarget"/> cases, started fresh (incremental) for each.</summary>
    public const string Target = "t";

    /// <summary>A context the runner finishes before the cases, so messages for it meet a context that has ended.</summary>
    public const string Finished = "fin";

    /// <summary>A context the runner keeps open through the cases; a duplicate <c>synthesize</c> for it is refused.</summary>
    public const string Witness = "w";

    /// <summary>How a broken string breaks: the text rule (any transport), UTF-8 itself, or sheer size.</summary>
    private enum Fault
    {
        InvalidText,
        InvalidUtf8,
        Huge,
    }

    /// <summary>JSON string tokens (quotes included) that are not valid text, by name.</summary>
    private static readonly (string Name, byte[] Json, Fault Fault)[] BrokenStrings =
    [
        ("lone-high-surrogate", Raw("\"a\\ud800b\""), Fault.InvalidText),
        ("lone-low-surrogate", Raw("\"\\udc00b\""), Fault.InvalidText),
        ("reversed-surrogate-pair", Raw("\"\\udc00\\ud800\""), Fault.InvalidText),
        ("nonchar-fffe", [(byte)'"', (byte)'a', 0xEF, 0xBF, 0xBE, (byte)'"'], Fault.InvalidText),
        ("nonchar-fffe-escaped", Raw("\"\\ufffe\""), Fault.InvalidText),
        ("nonchar-fdd0", Raw("\"\\ufdd0\""), Fault.InvalidText),
        ("nonchar-10ffff", Raw("\"\\udbff\\udfff\""), Fault.InvalidText),
        ("nul", Raw("\"a\\u0000\""), Fault.InvalidText),
        ("invalid-utf8-ff", [(byte)'"', (byte)'a', 0xFF, (byte)'"'], Fault.InvalidUtf8),
        ("invalid-utf8-encoded-surrogate", [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'], Fault.InvalidUtf8),
        ("invalid-utf8-truncated", [(byte)'"', (byte)'a', 0xC3, (byte)'"'], Fault.InvalidUtf8),
        ("100k-characters", Str(new string('a', 100_000)), Fault.Huge),
    ];

    /// <summary>Values of the wrong JSON type for a string field, by name.</summary>
    private static readonly (string Name, byte[] Json)[] NotStrings =
        [("number", Raw("7")), ("bool", Raw("true")), ("object", Raw("{}")), ("array", Raw("[\"x\"]"))];

    /// <summary>Values of the wrong JSON type (or out of the type's range) for a number field, by name.</summary>
    private static readonly (string Name, byte[] Json)[] NotNumbers =
        [("string", Str("1")), ("bool", Raw("false")), ("object", Raw("{}")), ("array", Raw("[1]"))];

    private static readonly RawJson Synthesize = Of(
        ("type", Str("synthesize")),
        ("context_id", Str("s")),
        ("text", Str("Hi.")),
        ("language", Str("en")),
        ("voice", Str("default")),
        ("output_format", Of(("encoding", Str("pcm_s16le")), ("sample_rate", Raw("16000")))));

    private static readonly RawJson Text = Of(("type", Str("text")), ("context_id", Str(Target)), ("text", Str("Spoken only if accepted.")));

    // ---------------------------------------------------------------- /v1/ws

    public static IEnumerable<WsCase> WebSocket()
    {
        // Every string field x every broken string. Refusals name the context when its id is valid; a refused
        // synthesize ends its (never started) context, other refusals end nothing.
        var stringFields = new (string Message, RawJson Template, string Path, string? EchoedId, bool Ended, bool Target)[]
        {
            ("synthesize", Synthesize, "type", "s", false, false),
            ("synthesize", Synthesize, "context_id", null, false, false),
            ("synthesize", Synthesize, "text", "s", true, false),
            ("synthesize", Synthesize, "language", "s", true, false),
            ("synthesize", Synthesize, "voice", "s", true, false),
            ("synthesize", Synthesize, "output_format.encoding", "s", true, false),
            ("text", Text, "type", Target, false, true),
            ("text", Text, "context_id", null, false, true),
            ("text", Text, "text", Target, false, true),
            ("flush", Of(("type", Str("flush")), ("context_id", Str(Target))), "context_id", null, false, true),
            ("end", Of(("type", Str("end")), ("context_id", Str(Target))), "context_id", null, false, true),
            ("cancel", Of(("type", Str("cancel")), ("context_id", Str(Target))), "context_id", null, false, true),
        };
        foreach (var (message, template, path, echoedId, ended, target) in stringFields)
        {
            foreach (var (name, json, fault) in BrokenStrings)
            {
                Expect expect = fault switch
                {
                    Fault.InvalidUtf8 => new ClosedWith(WebSocketCloseStatus.InvalidPayloadData), // RFC 6455 §8.1, before the gateway
                    Fault.Huge => new ClosedWith(WebSocketCloseStatus.MessageTooBig), // over MaxMessageBytes
                    _ => new Refused("invalid_text", echoedId, ended),
                };
                yield return new WsCase($"ws/{message}/{path}/{name}", template.With(path, json).ToBytes(), expect, target);
            }
        }

        // Wrong types and missing fields.
        var typedFields = new (string Message, RawJson Template, string Path, (string, byte[])[] Wrong, string? EchoedId, bool Ended, bool Target)[]
        {
            ("synthesize", Synthesize, "type", NotStrings, "s", false, false),
            ("synthesize", Synthesize, "context_id", NotStrings, null, false, false),
            ("synthesize", Synthesize, "text", NotStrings, "s", true, false),
            ("synthesize", Synthesize, "language", NotStrings, "s", true, false),
            ("synthesize", Synthesize, "voice", NotStrings, "s", true, false),
            ("synthesize", Synthesize, "incremental", [("string", Str("yes")), ("number", Raw("1")), ("object", Raw("{}"))], "s", true, false),
            ("synthesize", Synthesize, "output_format", [("string", Str("pcm_s16le")), ("array", Raw("[]")), ("number", Raw("1"))], "s", true, false),
            ("synthesize", Synthesize, "output_format.encoding", NotStrings, "s", true, false),
            ("synthesize", Synthesize, "output_format.sample_rate", [.. NotNumbers, ("fraction", Raw("16000.5")), ("too-big", Raw("1e12"))], "s", true, false),
            ("synthesize", Synthesize, "sampling", [("string", Str("hot")), ("array", Raw("[]"))], "s", true, false),
            ("synthesize", Synthesize, "sampling.temperature", [.. NotNumbers, ("over-float", Raw("1e300"))], "s", true, false),
            ("synthesize", Synthesize, "sampling.min_p", NotNumbers, "s", true, false),
            ("synthesize", Synthesize, "sampling.top_p", NotNumbers, "s", true, false),
            ("synthesize", Synthesize, "sampling.repetition_penalty", NotNumbers, "s", true, false),
            ("synthesize", Synthesize, "sampling.cfg_weight", NotNumbers, "s", true, false),
            ("synthesize", Synthesize, "sampling.exaggeration", NotNumbers, "s", true, false),
            ("synthesize", Synthesize, "sampling.seed", [.. NotNumbers, ("negative", Raw("-1")), ("fraction", Raw("1.5"))], "s", true, false),
            ("synthesize", Synthesize, "sampling.max_new_tokens", [.. NotNumbers, ("fraction", Raw("2.5"))], "s", true, false),
            ("synthesize", Synthesize, "chunking", [("string", Str("fast")), ("number", Raw("3"))], "s", true, false),
            ("synthesize", Synthesize, "chunking.schedule", [("string", Str("10,20")), ("object", Raw("{}")), ("mixed", Raw("[10,\"20\"]")), ("fractions", Raw("[1.5]"))], "s", true, false),
            ("synthesize", Synthesize, "chunking.context_tokens", NotNumbers, "s", true, false),
            ("synthesize", Synthesize, "chunking.holdback_tokens", NotNumbers, "s", true, false),
            ("synthesize", Synthesize, "chunking.cross_fade_ms", NotNumbers, "s", true, false),
            ("synthesize", Synthesize, "chunking.sentence_pause_ms", NotNumbers, "s", true, false),
            ("text", Text, "context_id", NotStrings, null, false, true),
            ("text", Text, "text", NotStrings, Target, false, true),
            ("text", Text, "flush", [("string", Str("yes")), ("string-true", Str("true")), ("number", Raw("1")), ("object", Raw("{}")), ("array", Raw("[true]"))], Target, false, true),
            ("flush", Of(("type", Str("flush")), ("context_id", Str(Target))), "context_id", NotStrings, null, false, true),
            ("end", Of(("type", Str("end")), ("context_id", Str(Target))), "context_id", NotStrings, null, false, true),
            ("cancel", Of(("type", Str("cancel")), ("context_id", Str(Target))), "context_id", NotStrings, null, false, true),
        };
        foreach (var (message, template, path, wrong, echoedId, ended, target) in typedFields)
        {
            foreach (var (name, json) in wrong)
            {
                yield return new WsCase($"ws/{message}/{path}/wrong-type-{name}", template.With(path, json).ToBytes(), new Refused("invalid_request", echoedId, ended), target);
            }

            if (path is "type" or "context_id" || (message, path) is ("synthesize", "text") or ("text", "text"))
            {
                yield return new WsCase($"ws/{message}/{path}/missing", template.Without(path).ToBytes(), new Refused("invalid_request", path == "context_id" ? null : echoedId, ended), target);
                yield return new WsCase($"ws/{message}/{path}/null", template.With(path, Raw("null")).ToBytes(), new Refused("invalid_request", path == "context_id" ? null : echoedId, ended), target);
            }
        }

        // Each field's own rules, after the text rule.
        yield return new WsCase("ws/synthesize/context_id/empty", Synthesize.With("context_id", Str("")).ToBytes(), new Refused("invalid_request"));
        yield return new WsCase("ws/synthesize/context_id/129-characters", Synthesize.With("context_id", Str(new string('c', 129))).ToBytes(), new Refused("invalid_request"));
        yield return new WsCase("ws/synthesize/text/5001-characters", Synthesize.With("text", Str(new string('a', 5001))).ToBytes(), new Refused("text_too_long", "s", true));
        yield return new WsCase("ws/synthesize/text/whitespace", Synthesize.With("text", Str("   ")).ToBytes(), new Refused("empty_text", "s", true));

        // Amplification: a few KB asking for more audio than one session may produce (pauses alone over the limit).
        foreach (var (sentences, pause) in new[] { (400, 5000), (80, 5000), (200, 2000), (1500, 250) })
        {
            var amplified = Synthesize.With("text", Str(string.Concat(Enumerable.Repeat("ب. ", sentences)))).With("language", Str("ar")).With("chunking", Of(("sentence_pause_ms", Raw(pause.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
            yield return new WsCase($"ws/synthesize/amplification/{sentences}-sentences-{pause}ms-pauses", amplified.ToBytes(), new Refused("audio_too_long", "s", true));
        }

        foreach (var (name, voice) in new[] { ("path-traversal", "../etc"), ("space", "a b"), ("empty", ""), ("65-characters", new string('v', 65)), ("arabic", "صوت") })
        {
            yield return new WsCase($"ws/synthesize/voice/{name}", Synthesize.With("voice", Str(voice)).ToBytes(), new Refused("invalid_request", "s", true));
        }

        yield return new WsCase("ws/synthesize/voice/not-enrolled", Synthesize.With("voice", Str("nobody")).ToBytes(), new Refused("unknown_voice", "s", true));
        yield return new WsCase("ws/synthesize/language/36-characters", Synthesize.With("language", Str(new string('l', 36))).ToBytes(), new Refused("invalid_request", "s", true));
        yield return new WsCase("ws/synthesize/language/unsupported", Synthesize.With("language", Str("xx")).ToBytes(), new Refused("unsupported_language", "s", true));
        yield return new WsCase("ws/synthesize/output_format.encoding/33-characters", Synthesize.With("output_format.encoding", Str(new string('e', 33))).ToBytes(), new Refused("invalid_request", "s", true));
        // mp3, ogg_opus, aac and flac are served (the gateway encodes them); an encoding nobody serves is refused.
        yield return new WsCase("ws/synthesize/output_format.encoding/wma", Synthesize.With("output_format.encoding", Str("wma")).ToBytes(), new Refused("invalid_options", "s", true));
        yield return new WsCase("ws/synthesize/output_format/mp3-11025", Synthesize.With("output_format", Of(("encoding", Str("mp3")), ("sample_rate", Raw("11025")))).ToBytes(), new Refused("invalid_options", "s", true));
        foreach (var rate in new[] { 22050, 44100, 11025 })
        {
            yield return new WsCase($"ws/synthesize/output_format/opus-{rate}", Synthesize.With("output_format", Of(("encoding", Str("opus")), ("sample_rate", Raw($"{rate}")))).ToBytes(), new Refused("invalid_options", "s", true));
        }

        yield return new WsCase("ws/synthesize/output_format/opus-24000", Synthesize.With("output_format", Of(("encoding", Str("opus")), ("sample_rate", Raw("24000")))).ToBytes(), new Accepted("s"));
        yield return new WsCase("ws/synthesize/output_format/pcm-12345", Synthesize.With("output_format.sample_rate", Raw("12345")).ToBytes(), new Refused("invalid_options", "s", true));
        yield return new WsCase("ws/synthesize/chunking.schedule/empty", Synthesize.With("chunking", Of(("schedule", Raw("[]")))).ToBytes(), new Refused("invalid_options", "s", true));
        yield return new WsCase("ws/text/text/empty", Text.With("text", Str("")).ToBytes(), new Refused("invalid_request", Target), true);
        yield return new WsCase("ws/text/text/5001-characters", Text.With("text", Str(new string('a', 5001))).ToBytes(), new Refused("text_too_long", Target), true);

        // Versions: a number equal to 1 is version 1; anything else is refused before the rest is read.
        var cancelNobody = Of(("type", Str("cancel")), ("context_id", Str("nobody")));
        foreach (var v in new[] { "1", "1.0", "1e0", "10e-1", "0.1e1", "null" })
        {
            yield return new WsCase($"ws/version/accepted-{v}", cancelNobody.With("v", Raw(v)).ToBytes(), new Refused("unknown_context", "nobody"));
        }

        foreach (var (name, v) in new[] { ("2", "2"), ("0", "0"), ("minus-1", "-1"), ("1.5", "1.5"), ("1.0000000000000001", "1.0000000000000001"), ("1e400", "1e400"), ("string-1", "\"1\""), ("string-v1", "\"v1\""), ("true", "true"), ("object", "{}"), ("array", "[1]") })
        {
            yield return new WsCase($"ws/version/text-{name}", Text.With("v", Raw(v)).ToBytes(), new Refused("unsupported_version", Target), true);
        }

        yield return new WsCase("ws/version/synthesize-2", Synthesize.With("v", Raw("2")).ToBytes(), new Refused("unsupported_version", "s", true));
        yield return new WsCase("ws/version/end-2", Of(("type", Str("end")), ("context_id", Str(Target)), ("v", Raw("2"))).ToBytes(), new Refused("unsupported_version", Target), true);

        // Unknown contexts end nothing (context_ended false), whether never started or already finished.
        foreach (var id in new[] { "never", Finished })
        {
            yield return new WsCase($"ws/unknown-context/text-{id}", Text.With("context_id", Str(id)).ToBytes(), new Refused("unknown_context", id));
            foreach (var type in new[] { "flush", "end", "cancel" })
            {
                yield return new WsCase($"ws/unknown-context/{type}-{id}", Of(("type", Str(type)), ("context_id", Str(id))).ToBytes(), new Refused("unknown_context", id));
            }
        }

        yield return new WsCase("ws/duplicate-context", Synthesize.With("context_id", Str(Witness)).ToBytes(), new Refused("duplicate_context", Witness));
        yield return new WsCase("ws/duplicate-context/with-bad-field", Synthesize.With("context_id", Str(Witness)).With("text", Raw("5")).ToBytes(), new Refused("invalid_request", Witness));

        // Frames that are no message at all.
        foreach (var (name, frame) in new[] { ("not-json", "{oops"), ("truncated", "{\"type\":\"synthesize\""), ("two-objects", "{} {}"), ("deep-nesting", new string('[', 100) + new string(']', 100)), ("empty-frame", "") })
        {
            yield return new WsCase($"ws/frame/{name}", Encoding.UTF8.GetBytes(frame), new Refused("invalid_json"));
        }

        foreach (var (name, frame) in new[] { ("array", "[]"), ("string", "\"synthesize\""), ("number", "7"), ("null", "null") })
        {
            yield return new WsCase($"ws/frame/{name}", Encoding.UTF8.GetBytes(frame), new Refused("invalid_request"));
        }

        foreach (var (name, type) in new[] { ("sing", "sing"), ("capitalised", "Synthesize"), ("padded", " synthesize"), ("empty", "") })
        {
            yield return new WsCase($"ws/frame/type-{name}", Synthesize.With("type", Str(type)).ToBytes(), new Refused("unknown_message_type", "s"));
        }

        yield return new WsCase("ws/frame/binary", [1, 2, 3], new Refused("unexpected_binary"), Binary: true);

        // Unknown fields are ignored, whatever their names and values.
        byte[] strangeNames = [.. "{\"type\":\"cancel\",\"context_id\":\"nobody\",\"\\ud800\":1,\""u8, 0xEF, 0xBF, 0xBE, .. "\":\"\\u0000\",\"extra\":\"\\udc00\"}"u8];
        yield return new WsCase("ws/unknown-fields/broken-names-and-values", strangeNames, new Refused("unknown_context", "nobody"));
        yield return new WsCase("ws/unknown-fields/on-synthesize", Synthesize.With("extra", Raw("\"\\ud800\"")).ToBytes(), new Accepted("s"));
    }

    // ---------------------------------------------------------------- /ws/tts

    public static IEnumerable<CompatCase> CompatSocket()
    {
        var request = Of(("text", Str("Hi.")), ("language_id", Str("en")), ("speaker_id", Str("default")));
        foreach (var field in new[] { "text", "language_id", "speaker_id" })
        {
            foreach (var (name, json, fault) in BrokenStrings)
            {
                Expect expect = fault switch
                {
                    Fault.InvalidUtf8 => new ClosedWith(WebSocketCloseStatus.InvalidPayloadData),
                    Fault.Huge => new ClosedWith(WebSocketCloseStatus.MessageTooBig),
                    _ => new Refused("invalid_text"),
                };
                yield return new CompatCase($"ws-tts/{field}/{name}", request.With(field, json).ToBytes(), expect);
            }

            foreach (var (name, json) in NotStrings)
            {
                yield return new CompatCase($"ws-tts/{field}/wrong-type-{name}", request.With(field, json).ToBytes(), new Refused("invalid_request"));
            }
        }

        yield return new CompatCase("ws-tts/text/missing", request.Without("text").ToBytes(), new Refused("empty_text"));
        yield return new CompatCase("ws-tts/text/5001-characters", request.With("text", Str(new string('a', 5001))).ToBytes(), new Refused("text_too_long"));
        yield return new CompatCase("ws-tts/speaker_id/path-traversal", request.With("speaker_id", Str("../x")).ToBytes(), new Refused("invalid_request"));
        yield return new CompatCase("ws-tts/speaker_id/not-enrolled", request.With("speaker_id", Str("nobody")).ToBytes(), new Refused("unknown_voice"));
        yield return new CompatCase("ws-tts/language_id/36-characters", request.With("language_id", Str(new string('l', 36))).ToBytes(), new Refused("invalid_request"));
        yield return new CompatCase("ws-tts/language_id/unsupported", request.With("language_id", Str("xx")).ToBytes(), new Refused("unsupported_language"));
        yield return new CompatCase("ws-tts/frame/not-json", Encoding.UTF8.GetBytes("{oops"), new Refused("invalid_json"));
        yield return new CompatCase("ws-tts/frame/array", Encoding.UTF8.GetBytes("[\"Hi.\"]"), new Refused("invalid_request"));
        yield return new CompatCase("ws-tts/frame/binary", [1, 2, 3], new Refused("unexpected_binary"), Binary: true);
        yield return new CompatCase("ws-tts/unknown-fields/ignored", request.With("extra", Raw("\"\\ufffe\"")).ToBytes(), new Accepted());
    }

    // ---------------------------------------------------------------- HTTP JSON bodies

    public static IEnumerable<HttpCase> HttpBodies()
    {
        var tts = Of(("text", Str("Hi.")), ("language", Str("en")), ("voice", Str("default")), ("output_format", Of(("encoding", Str("pcm_s16le")))));
        var speech = Of(("model", Str("tts-1")), ("input", Str("Hi.")), ("voice", Str("alloy")), ("response_format", Str("wav")), ("language", Str("en")));
        var stringFields = new (string Path, RawJson Template, string Field, string HugeCode)[]
        {
            ("/v1/tts", tts, "text", "text_too_long"),
            ("/v1/tts", tts, "language", "invalid_request"),
            ("/v1/tts", tts, "voice", "invalid_request"),
            ("/v1/tts", tts, "output_format.encoding", "invalid_request"),
            ("/v1/tts/stream", tts, "text", "text_too_long"),
            ("/v1/tts/stream", tts, "language", "invalid_request"),
            ("/v1/tts/stream", tts, "voice", "invalid_request"),
            ("/v1/tts/stream", tts, "output_format.encoding", "invalid_request"),
            ("/v1/audio/speech", speech, "input", "text_too_long"),
            ("/v1/audio/speech", speech, "voice", "invalid_request"),
            ("/v1/audio/speech", speech, "response_format", "invalid_request"),
            ("/v1/audio/speech", speech, "language", "invalid_request"),
        };
        foreach (var (path, template, field, hugeCode) in stringFields)
        {
            foreach (var (name, json, fault) in BrokenStrings)
            {
                var expect = fault == Fault.Huge ? new HttpAnswer(400, hugeCode) : new HttpAnswer(400, "invalid_text");
                yield return new HttpCase($"http{path}/{field}/{name}", "POST", path, template.With(field, json).ToBytes(), expect);
            }

            foreach (var (name, json) in NotStrings)
            {
                yield return new HttpCase($"http{path}/{field}/wrong-type-{name}", "POST", path, template.With(field, json).ToBytes(), new HttpAnswer(400, "invalid_request"));
            }
        }

        foreach (var (field, json) in new[] { ("output_format", Str("wav")), ("output_format.sample_rate", Str("16000")), ("sampling", Raw("[]")), ("sampling.seed", Raw("-1")), ("sampling.temperature", Raw("1e300")), ("chunking.schedule", Raw("[1,\"2\"]")) })
        {
            yield return new HttpCase($"http/v1/tts/{field}/wrong-type", "POST", "/v1/tts", tts.With(field, json).ToBytes(), new HttpAnswer(400, "invalid_request"));
        }

        yield return new HttpCase("http/v1/tts/text/missing", "POST", "/v1/tts", tts.Without("text").ToBytes(), new HttpAnswer(400, "invalid_request"));
        yield return new HttpCase("http/v1/audio/speech/input/missing", "POST", "/v1/audio/speech", speech.Without("input").ToBytes(), new HttpAnswer(400, "invalid_request"));
        yield return new HttpCase("http/v1/audio/speech/speed/string", "POST", "/v1/audio/speech", speech.With("speed", Str("1.0")).ToBytes(), new HttpAnswer(400, "invalid_request"));
        yield return new HttpCase("http/v1/audio/speech/speed/5", "POST", "/v1/audio/speech", speech.With("speed", Raw("5")).ToBytes(), new HttpAnswer(400, "invalid_options"));
        yield return new HttpCase("http/v1/audio/speech/speed/0.2", "POST", "/v1/audio/speech", speech.With("speed", Raw("0.2")).ToBytes(), new HttpAnswer(400, "invalid_options"));
        yield return new HttpCase("http/v1/audio/speech/speed/2", "POST", "/v1/audio/speech", speech.With("speed", Raw("2")).ToBytes(), new HttpAnswer(200, null));
        foreach (var format in new[] { "mp3", "opus", "aac", "flac" })
        {
            yield return new HttpCase($"http/v1/audio/speech/response_format/{format}", "POST", "/v1/audio/speech", speech.With("response_format", Str(format)).ToBytes(), new HttpAnswer(200, null));
        }

        yield return new HttpCase("http/v1/audio/speech/response_format/ogg", "POST", "/v1/audio/speech", speech.With("response_format", Str("ogg")).ToBytes(), new HttpAnswer(400, "invalid_request"));

        // model is ignored, not read: whatever it holds, the speech is made.
        yield return new HttpCase("http/v1/audio/speech/model/lone-high-surrogate-ignored", "POST", "/v1/audio/speech", speech.With("model", Raw("\"\\ud800\"")).ToBytes(), new HttpAnswer(200, null));
        yield return new HttpCase("http/v1/audio/speech/model/invalid-utf8-ignored", "POST", "/v1/audio/speech", speech.With("model", [(byte)'"', 0xFF, (byte)'"']).ToBytes(), new HttpAnswer(200, null));

        // The session's own codes, passed through with their status.
        yield return new HttpCase("http/v1/tts/language/unsupported", "POST", "/v1/tts", tts.With("language", Str("xx")).ToBytes(), new HttpAnswer(400, "unsupported_language"));
        yield return new HttpCase("http/v1/tts/voice/not-enrolled", "POST", "/v1/tts", tts.With("voice", Str("nobody")).ToBytes(), new HttpAnswer(404, "unknown_voice"));
        yield return new HttpCase("http/v1/tts/text/whitespace", "POST", "/v1/tts", tts.With("text", Str("  ")).ToBytes(), new HttpAnswer(400, "empty_text"));
        foreach (var rate in new[] { 22050, 44100 })
        {
            yield return new HttpCase($"http/v1/tts/output_format/opus-{rate}", "POST", "/v1/tts", tts.With("output_format", Of(("encoding", Str("opus")), ("sample_rate", Raw($"{rate}")))).ToBytes(), new HttpAnswer(400, "invalid_options"));
        }

        // Whole bodies that are no request.
        foreach (var path in new[] { "/v1/tts", "/v1/tts/stream", "/v1/audio/speech" })
        {
            yield return new HttpCase($"http{path}/body/not-json", "POST", path, Raw("{oops"), new HttpAnswer(400, "invalid_json"));
            yield return new HttpCase($"http{path}/body/empty", "POST", path, [], new HttpAnswer(400, "invalid_json"));
            yield return new HttpCase($"http{path}/body/array", "POST", path, Raw("[]"), new HttpAnswer(400, "invalid_request"));
            yield return new HttpCase($"http{path}/body/invalid-utf8-outside-strings", "POST", path, [(byte)'{', 0xFF, (byte)'}'], new HttpAnswer(400, "invalid_json"));
            yield return new HttpCase($"http{path}/body/over-max-http-body-bytes", "POST", path, Str(new string('a', 300 * 1024)), new HttpAnswer(413, "payload_too_large"));
        }
    }

    // ---------------------------------------------------------------- GET /tts/stream query strings

    public static IEnumerable<HttpCase> Queries()
    {
        var broken = new (string Name, string Escaped, string Code)[]
        {
            ("encoded-surrogate", "%ED%A0%80", "invalid_text"),
            ("invalid-utf8-ff", "a%FF", "invalid_text"),
            ("invalid-utf8-truncated", "a%C3", "invalid_text"),
            ("nul", "a%00", "invalid_text"),
            ("nonchar-fffe", "%EF%BF%BE", "invalid_text"),
            ("nonchar-fdd0", "%EF%B7%90", "invalid_text"),
            ("bad-escape-lone-percent", "a%", "invalid_request"),
            ("bad-escape-one-digit", "a%4", "invalid_request"),
            ("bad-escape-not-hex", "%G1", "invalid_request"),
            ("bad-escape-double-percent", "%%41", "invalid_request"),
            ("bad-escape-sign", "%+1", "invalid_request"),
        };
        var valid = new Dictionary<string, string> { ["text"] = "Hi.", ["language_id"] = "en", ["speaker_id"] = "default" };
        foreach (var parameter in valid.Keys)
        {
            foreach (var (name, escaped, code) in broken)
            {
                yield return new HttpCase($"query/tts-stream/{parameter}/{name}", "GET", Query(valid, parameter, escaped), null, new HttpAnswer(400, code));
            }

            yield return new HttpCase($"query/tts-stream/{parameter}/repeated", "GET", Query(valid, parameter, "en") + $"&{parameter}=en", null, new HttpAnswer(400, "invalid_request"));

            // Over Kestrel's request-line limit: answered 414 before the request reaches the gateway (documented bodiless).
            yield return new HttpCase($"query/tts-stream/{parameter}/100k-characters", "GET", Query(valid, parameter, new string('a', 100_000)), null, new HttpAnswer(414, null));
        }

        yield return new HttpCase("query/tts-stream/text/missing", "GET", "/tts/stream?language_id=en", null, new HttpAnswer(400, "invalid_request"));
        yield return new HttpCase("query/tts-stream/text/empty", "GET", "/tts/stream?text=&language_id=en", null, new HttpAnswer(400, "invalid_request"));
        yield return new HttpCase("query/tts-stream/text/5001-characters", "GET", Query(valid, "text", new string('a', 5001)), null, new HttpAnswer(400, "text_too_long"));
        yield return new HttpCase("query/tts-stream/speaker_id/path-traversal", "GET", Query(valid, "speaker_id", "..%2Fetc"), null, new HttpAnswer(400, "invalid_request"));
        yield return new HttpCase("query/tts-stream/unknown-parameter/broken", "GET", Query(valid, "text", "Hi.") + "&%FF=%ZZ&x=%ED%A0%80", null, new HttpAnswer(200, null));
    }

    // ---------------------------------------------------------------- voice ids in paths, and paths with no endpoint

    public static IEnumerable<HttpCase> VoicePaths()
    {
        var ids = new (string Name, string Segment, HttpAnswer Get, HttpAnswer Post)[]
        {
            ("dotdot", "..", new(404, "not_found"), new(404, "not_found")),
            ("dotdot-encoded", "%2e%2e", new(404, "not_found"), new(404, "not_found")),
            ("dot", ".", new(200, null), new(400, "unreadable_audio")), // normalised to /v1/voices/: the list, and POST there creates
            ("dotdot-slash-etc", "..%2F..%2Fetc", new(400, "invalid_request"), new(400, "invalid_request")),
            ("slash-encoded", "a%2Fb", new(400, "invalid_request"), new(400, "invalid_request")),
            ("two-segments", "a/b", new(404, "not_found"), new(404, "not_found")),
            ("empty", string.Empty, new(200, null), new(400, "unreadable_audio")), // /v1/voices/ is the list, and POST there creates
            ("space", "a%20b", new(400, "invalid_request"), new(400, "invalid_request")),
            ("nul", "a%00", new(400, null), new(400, null)), // Kestrel refuses an encoded NUL in the path itself (documented bodiless)
            ("invalid-utf8-ff", "a%FF", new(400, "invalid_request"), new(400, "invalid_request")),
            ("encoded-surrogate", "%ED%A0%80", new(400, "invalid_request"), new(400, "invalid_request")),
            ("nonchar-fffe", "%EF%BF%BE", new(400, "invalid_text"), new(400, "invalid_text")),
            ("nonchar-fdd0", "%EF%B7%90", new(400, "invalid_text"), new(400, "invalid_text")),
            ("arabic", "%D8%B5%D9%88%D8%AA", new(400, "invalid_request"), new(400, "invalid_request")),
            ("65-characters", new string('v', 65), new(400, "invalid_request"), new(400, "invalid_request")),
            ("not-enrolled", "nobody", new(404, "unknown_voice"), new(400, "unreadable_audio")),
            ("default", "default", new(200, null), new(400, "invalid_request")),
        };
        foreach (var (name, segment, get, post) in ids)
        {
            yield return new HttpCase($"path/GET/v1/voices/{name}", "GET", "/v1/voices/" + segment, null, get);
            yield return new HttpCase($"path/POST/v1/voices/{name}", "POST", "/v1/voices/" + segment, "RIFF not really a WAV"u8.ToArray(), post, "audio/wav");
        }

        yield return new HttpCase("path/POST/v1/voices/empty-body", "POST", "/v1/voices/someone", [], new HttpAnswer(400, "unreadable_audio"), "audio/wav");
        yield return new HttpCase("path/POST/v1/voices/over-max-voice-upload-bytes", "POST", "/v1/voices/someone", new byte[(10 * 1024 * 1024) + 1], new HttpAnswer(413, "payload_too_large"), "audio/wav");
        foreach (var (method, path, status, code) in new[]
        {
            ("GET", "/nothing/here", 404, "not_found"),
            ("GET", "/v1", 404, "not_found"),
            ("GET", "/v1/tts", 405, "method_not_allowed"),
            ("PUT", "/v1/tts", 405, "method_not_allowed"),
            ("PATCH", "/v1/voices/bob", 405, "method_not_allowed"),
            ("DELETE", "/v1/voices/nobody", 404, "unknown_voice"),
            ("DELETE", "/v1/voices/default", 400, "invalid_request"),
            ("POST", "/healthz", 405, "method_not_allowed"),
            ("POST", "/tts/stream?text=Hi.", 405, "method_not_allowed"),
            ("GET", "/v1/ws", 400, "invalid_request"),
            ("GET", "/ws/tts", 400, "invalid_request"),
        })
        {
            yield return new HttpCase($"path/{method}{path.Split('?')[0]}", method, path, method is "GET" ? null : [], new HttpAnswer(status, code));
        }
    }

    /// <summary>
    /// Extension point: reference-WAV uploads to <c>POST /v1/voices/{id}</c>, each with the code the cluster's audio
    /// checks answer (docs/protocol.md, "Voice upload errors"). Add the WAV-header cases here (unsupported_audio_format,
    /// reference_audio_too_long, reference_audio_silent) once the engine produces those codes.
    /// </summary>
    public static IEnumerable<HttpCase> VoiceUploads() => ReferenceWavs.Cases();

    private static string Query(Dictionary<string, string> valid, string parameter, string escapedValue) =>
        "/tts/stream?" + string.Join('&', valid.Select(p => $"{p.Key}={(p.Key == parameter ? escapedValue : Uri.EscapeDataString(p.Value))}"));
}
