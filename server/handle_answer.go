package server

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/ragkb/ragkb"
)

func (s *Server) handleAnswer() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req ragkb.AnswerRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		resp, err := s.d.Answers.Answer(ragkb.WithAPIKeyID(c.Request.Context(), key(c).ID), tenantOf(c), &req)
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		c.JSON(http.StatusOK, resp)
	}
}

type searchResponse struct {
	Results []ragkb.SearchResult `json:"results"`
}

func (s *Server) handleSearch() gin.HandlerFunc {
	return func(c *gin.Context) {
		var req ragkb.SearchRequest
		if err := decode(c, &req); err != nil {
			writeError(c, s.log, err)
			return
		}
		q := strings.TrimSpace(req.Query)
		switch {
		case q == "":
			writeError(c, s.log, ragkb.Invalid("query", "is required"))
			return
		case utf8.RuneCountInString(q) > 2000:
			writeError(c, s.log, ragkb.Invalid("query", "must be at most 2000 characters"))
			return
		case req.TopK < 0 || req.TopK > 50:
			writeError(c, s.log, ragkb.Invalid("top_k", "must be between 1 and 50 (0 or absent means 5)"))
			return
		}
		ctx := c.Request.Context()
		tenant := tenantOf(c)
		rs, err := s.d.Store.ListResources(ctx, ragkb.ResourceFilter{TenantID: tenant, NoSpec: true})
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		names := map[string]string{}
		for _, r := range rs {
			names[r.ID] = r.Name
		}
		for i, id := range req.ResourceIDs {
			if _, ok := names[id]; !ok {
				writeError(c, s.log, ragkb.Invalid(fmt.Sprintf("resource_ids[%d]", i), "no resource %q in this account", id))
				return
			}
		}
		hits, err := s.d.Searcher.Search(ctx, ragkb.SearchQuery{TenantID: tenant, ResourceIDs: req.ResourceIDs, Text: q, TopK: max(req.TopK, 5)})
		if err != nil {
			writeError(c, s.log, err)
			return
		}
		if req.TopK > 0 && len(hits) > req.TopK {
			hits = hits[:req.TopK]
		}
		out := searchResponse{Results: make([]ragkb.SearchResult, 0, len(hits))}
		for _, h := range hits {
			out.Results = append(out.Results, ragkb.SearchResult{
				ChunkID: h.Chunk.ID, ResourceID: h.Chunk.ResourceID, ResourceName: names[h.Chunk.ResourceID],
				DocumentID: h.Chunk.DocumentID, Kind: h.Chunk.Kind, Title: h.Chunk.Title, URL: h.Chunk.URL,
				Text: h.Chunk.Text, Score: float64(int(h.Relevance*1000+0.5)) / 1000,
			})
		}
		c.JSON(http.StatusOK, out)
	}
}
