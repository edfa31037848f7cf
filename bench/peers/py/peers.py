"""peers.py runs one Python retrieval system of bench/peers' semantic section.

It is a child of the Go benchmark (bench/peers, semantic.go), one process per
system so that peak RSS, disk and indexing time are its own:

  chromadb        chromadb PersistentClient, HNSW in cosine space, telemetry
                  off, with the embeddings the benchmark supplies (fetched
                  from its caching proxy, the same vectors the Go systems get)
  bm25s           bm25s BM25 over title and text, English stopwords and the
                  Snowball English stemmer when PyStemmer is installed
  chromadb+bm25s  both, 30 candidates each, fused by reciprocal rank (k=60)

It reads the corpus the parent wrote (chunks with ids "doc#n", their text and
the text to embed; the questions) and prints, as JSON, for each searcher the
document ids each question got (best first) and its latency in µs; the parent
scores them exactly as it scores the Go systems.
"""

import argparse
import http.client
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import time
import urllib.parse

CANDIDATES, RRF_K = 30, 60.0


class Embedder:
    """An OpenAI-compatible /v1/embeddings client on one kept-alive connection."""

    def __init__(self, url, model, modality):
        u = urllib.parse.urlparse(url.rstrip("/"))
        path = u.path.rstrip("/")
        if path.endswith("/v1"):
            path = path[:-3]
        self.host, self.port, self.path = u.hostname, u.port, path + "/v1/embeddings"
        self.model, self.modality = model, modality
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)

    def embed(self, texts, kind):
        body = {"model": self.model, "input": list(texts), "encoding_format": "float"}
        if self.modality == "input_type":
            body["input_type"] = kind
        elif self.modality == "prefix":
            body["input"] = [kind + ": " + t for t in texts]
        payload = json.dumps(body)
        for attempt in range(2):
            try:
                self.conn.request("POST", self.path, payload, {"Content-Type": "application/json"})
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # The server closed the kept-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
                if attempt:
                    raise
        if resp.status != 200:
            raise RuntimeError("embedding server: status %d: %s" % (resp.status, data[:300]))
        out = [None] * len(texts)
        for d in json.loads(data)["data"]:
            out[d["index"]] = d["embedding"]
        return out


class Chroma:
    def __init__(self, emb, dir):
        import chromadb
        from chromadb.config import Settings

        self.emb = emb
        self.client = chromadb.PersistentClient(path=os.path.join(dir, "chroma"), settings=Settings(anonymized_telemetry=False))
        self.name = "chromadb %s (same embeddings, HNSW cosine)" % chromadb.__version__

    def index(self, chunks):
        self.col = self.client.create_collection("bench", metadata={"hnsw:space": "cosine"}, embedding_function=None)
        self.n = len(chunks)
        step = 64
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            vecs = self.emb.embed([c["embed"] for c in part], "passage")
            self.col.add(ids=[c["id"] for c in part], embeddings=vecs)

    def ranked(self, q, k):
        v = self.emb.embed([q], "query")[0]
        return self.col.query(query_embeddings=[v], n_results=min(k, self.n), include=[])["ids"][0]


class BM25:
    def __init__(self, dir):
        import bm25s

        self.bm25s, self.dir = bm25s, os.path.join(dir, "bm25s")
        try:
            import Stemmer

            self.stemmer = Stemmer.Stemmer("english")
            how = "PyStemmer %s Snowball stemmer" % importlib.metadata.version("PyStemmer")
        except ImportError:
            self.stemmer = None
            how = "no stemmer: PyStemmer is not installed"
        self.name = "bm25s %s (en stopwords, %s)" % (bm25s.__version__, how)

    def index(self, chunks):
        self.ids = [c["id"] for c in chunks]
        tok = self.bm25s.tokenize([c["title"] + "\n" + c["text"] for c in chunks], stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.ret = self.bm25s.BM25()
        self.ret.index(tok, show_progress=False)
        self.ret.save(self.dir)

    def ranked(self, q, k):
        toks = self.bm25s.tokenize([q], stopwords="en", stemmer=self.stemmer, show_progress=False, return_ids=False)
        res, scores = self.ret.retrieve(toks, k=min(k, len(self.ids)), show_progress=False)
        # bm25s fills k slots even with documents that match nothing.
        return [self.ids[i] for i, s in zip(res[0], scores[0]) if s > 0]


def fused(dense, lexical):
    def ranked(q, k):
        score, order = {}, []
        for lst in (dense.ranked(q, CANDIDATES), lexical.ranked(q, CANDIDATES)):
            for i, cid in enumerate(lst):
                if cid not in score:
                    order.append(cid)
                    score[cid] = 0.0
                score[cid] += 1 / (RRF_K + i + 1)
        order.sort(key=lambda c: -score[c])  # stable: ties keep dense first
        return order[:k]

    return ranked


def self_hwm():
    """This process's peak resident set in KiB (VmHWM), 0 where unknown."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def du(dir):
    n = 0
    for root, _, files in os.walk(dir):
        for f in files:
            try:
                n += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--system", required=True, choices=["chromadb", "bm25s", "chromadb+bm25s"])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--embedding-url", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--modality", default="input_type", choices=["none", "input_type", "prefix"])
    a = ap.parse_args()
    with open(a.corpus) as f:
        c = json.load(f)
    chunks, queries = c["chunks"], c["queries"]
    emb = Embedder(a.embedding_url, a.model, a.modality)
    tmp = tempfile.mkdtemp(prefix="ragkb-peers-py-")
    try:
        if a.system == "chromadb":
            systems = [Chroma(emb, tmp)]
        elif a.system == "bm25s":
            systems = [BM25(tmp)]
        else:
            systems = [Chroma(emb, tmp), BM25(tmp)]
        t0 = time.perf_counter()
        for s in systems:
            s.index(chunks)
        index_sec = time.perf_counter() - t0
        disk = du(tmp)
        if a.system == "chromadb+bm25s":
            searchers = [("chromadb + bm25s, RRF", fused(systems[0], systems[1]))]
        else:
            searchers = [(systems[0].name, systems[0].ranked)]
        rows = []
        for name, search in searchers:
            for q in queries[:20]:  # warm up, as the Go children do
                search(q, 10)
            lat, ids, errors = [], [], 0
            for q in queries:
                t = time.perf_counter_ns()
                try:
                    got = search(q, 10)
                except Exception as e:  # counted, like the Go children's errors
                    if not errors:
                        print("peers.py: %s: %r" % (name, e), file=sys.stderr)
                    errors, got = errors + 1, []
                lat.append((time.perf_counter_ns() - t) / 1000)
                ids.append([cid.rsplit("#", 1)[0] for cid in got])
            rows.append({"searcher": name, "index_sec": index_sec, "disk": disk, "errors": errors, "lat_us": lat, "ids": ids})
        # The embedding round trip alone (cached by the parent's proxy), the
        # part of a dense question's latency that is not the search.
        trips = []
        for q in queries[:200]:
            t = time.perf_counter_ns()
            emb.embed([q], "query")
            trips.append((time.perf_counter_ns() - t) / 1000)
        trips.sort()
        hwm = self_hwm()
        for r in rows:
            r["rss_kib"] = hwm
            r["embed_us"] = trips[len(trips) // 2]
        json.dump(rows, sys.stdout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
