"""Stored sessions: folders with manifests, shared files decoded once, video files."""

import json

import av
import pytest

from vision import VisionError, extract_session, read_session
from vision.ids import frame_id as derive_frame_id

from tests.helpers import form_screen, write_session


def test_folder_session_reads_meta_frames_and_truth(tmp_path):
    base = form_screen()
    path = write_session(tmp_path / "s", [(0, base), (100, base), (250, base)],
                         truth=[{"t_ms": 90, "type": "scroll",
                                 "payload": {"dx": 0, "dy": 40, "region": [0, 0, 9, 9]}}])
    session = read_session(path)
    assert session.session_id == "ses_test" and session.frame_count == 3
    frames = list(session.frames())
    assert [f.t_ms for f in frames] == [0, 100, 250]
    assert [f.frame_id for f in frames] == ["frm_000000", "frm_000001", "frm_000002"]
    assert session.truth()[0].payload.dy == 40


def test_a_shared_file_is_decoded_once(tmp_path):
    base = form_screen()
    path = write_session(tmp_path / "s", [(t, base) for t in range(0, 1000, 100)])
    frames = list(read_session(path).frames())
    assert len({id(f.image) for f in frames}) == 1
    assert len({f.content_key for f in frames}) == 1


def test_identical_bytes_under_two_names_are_decoded_once(tmp_path):
    base = form_screen()
    path = write_session(tmp_path / "s", [(0, base), (100, base)])
    (path / "frames" / "copy.png").write_bytes((path / "frames" / "000000.png").read_bytes())
    lines = (path / "frames.jsonl").read_text().splitlines()
    lines[1] = json.dumps({"frame_id": "frm_000001", "t_ms": 100, "file": "frames/copy.png"})
    (path / "frames.jsonl").write_text("\n".join(lines) + "\n")
    a, b = read_session(path).frames()
    assert a.image is b.image


@pytest.mark.parametrize("line,param", [
    ("{not json", "frames.jsonl:2"),
    ('{"frame_id": "frm_9", "file": "frames/000000.png"}', "frames.jsonl:2:t_ms"),
    ('{"frame_id": "frm_9", "t_ms": "5", "file": "frames/000000.png"}', "frames.jsonl:2:t_ms"),
    ('{"t_ms": 5, "file": "frames/000000.png"}', "frames.jsonl:2:frame_id"),
    ('{"frame_id": "frm_9", "t_ms": 5}', "frames.jsonl:2:file"),
    ('{"frame_id": "frm_9", "t_ms": 5, "file": "f.png", "cursor": [1]}',
     "frames.jsonl:2:cursor"),
    ("[1, 2]", "frames.jsonl:2"),
])
def test_a_malformed_manifest_line_is_invalid_request_naming_it(tmp_path, line, param):
    path = write_session(tmp_path / "s", [(0, form_screen())])
    with open(path / "frames.jsonl", "a") as fh:
        fh.write(line + "\n")
    with pytest.raises(VisionError) as err:
        read_session(path)
    assert (err.value.code, err.value.param) == ("invalid_request", param)


def test_a_missing_frame_file_is_invalid_request_when_reached(tmp_path):
    path = write_session(tmp_path / "s", [(0, form_screen()), (100, form_screen(dialog=True))])
    (path / "frames" / "000001.png").unlink()
    with pytest.raises(VisionError) as err:
        extract_session(path)
    assert (err.value.code, err.value.param) == ("invalid_request", "frames.jsonl:2:file")


@pytest.mark.parametrize("broken", ["no-meta", "bad-meta", "no-id", "no-manifest"])
def test_broken_session_folders_say_what_is_wrong(tmp_path, broken):
    path = write_session(tmp_path / "s", [(0, form_screen())])
    if broken == "no-meta":
        (path / "session.json").unlink()
    elif broken == "bad-meta":
        (path / "session.json").write_text("{")
    elif broken == "no-id":
        (path / "session.json").write_text('{"width": 1}')
    else:
        (path / "frames.jsonl").unlink()
    with pytest.raises(VisionError) as err:
        read_session(path)
    assert err.value.code == "invalid_request" and err.value.param


def test_a_session_without_frames_is_session_empty(tmp_path):
    path = write_session(tmp_path / "s", [(0, form_screen())])
    (path / "frames.jsonl").write_text("\n")
    with pytest.raises(VisionError) as err:
        read_session(path)
    assert err.value.code == "session_empty"


def _write_video(path, frames, fps=5):
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.height, stream.width = frames[0].shape[:2]
        stream.pix_fmt = "yuv420p"
        for rgb in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def test_a_video_is_a_session_with_container_times_and_derived_ids(tmp_path):
    frames = [form_screen()] * 3 + [form_screen(dialog=True)] * 3
    video = tmp_path / "capture.mp4"
    _write_video(video, frames)
    session = read_session(video)
    assert session.session_id.startswith("ses_") and session.is_video
    decoded = list(session.frames())
    assert [f.t_ms for f in decoded] == [0, 200, 400, 600, 800, 1000]
    assert decoded[0].image.shape == frames[0].shape
    assert read_session(video).session_id == session.session_id  # from the content hash
    events = extract_session(video)
    assert [e.payload.kind for e in events] == ["dialog_open"]
    assert events[0].frame_id == derive_frame_id(session.session_id, 3, 600)


def test_a_video_takes_its_id_from_session_json_beside_it(tmp_path):
    video = tmp_path / "capture.mp4"
    _write_video(video, [form_screen()] * 2)
    (tmp_path / "session.json").write_text('{"session_id": "ses_fromjson", "source": "rdp"}')
    session = read_session(video)
    assert session.session_id == "ses_fromjson" and session.meta["source"] == "rdp"


def test_a_file_that_is_not_a_video_is_unsupported(tmp_path):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00" * 100)
    with pytest.raises(VisionError) as err:
        list(read_session(bad).frames())
    assert err.value.code == "unsupported_image"
