// Package docstore keeps uploaded documents (invoices, receipts) in an S3-compatible
// object store, when S3_URL says which; without it they stay in PostgreSQL.
package docstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// ErrNotFound is a key the store does not hold.
var ErrNotFound = errors.New("docstore: no such document")

// Config is where the store is: S3_URL parsed.
type Config struct {
	Endpoint  string // host:port
	Secure    bool   // HTTPS
	AccessKey string
	SecretKey string
	Bucket    string
	Region    string
}

// ParseS3URL reads S3_URL: s3://ACCESS_KEY:SECRET_KEY@host:port/bucket (HTTP) or s3s://…
// (HTTPS), with an optional ?region=…; the keys may be URL-escaped.
func ParseS3URL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's error quotes the whole URL, secret key included: the log gets
		// only what is wrong with it.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return Config{}, fmt.Errorf("S3_URL: %w", err)
	}
	var c Config
	switch u.Scheme {
	case "s3":
	case "s3s":
		c.Secure = true
	default:
		return Config{}, fmt.Errorf("S3_URL: scheme %q, want s3:// (HTTP) or s3s:// (HTTPS)", u.Scheme)
	}
	if u.Host == "" {
		return Config{}, errors.New("S3_URL: no host")
	}
	c.Endpoint = u.Host
	if u.User == nil || u.User.Username() == "" {
		return Config{}, errors.New("S3_URL: no access key (s3://ACCESS_KEY:SECRET_KEY@host/bucket)")
	}
	c.AccessKey = u.User.Username()
	secret, ok := u.User.Password()
	if !ok || secret == "" {
		return Config{}, errors.New("S3_URL: no secret key (s3://ACCESS_KEY:SECRET_KEY@host/bucket)")
	}
	c.SecretKey = secret
	c.Bucket = strings.Trim(u.Path, "/")
	if c.Bucket == "" || strings.Contains(c.Bucket, "/") {
		return Config{}, errors.New("S3_URL: name one bucket as the path (s3://ACCESS_KEY:SECRET_KEY@host/bucket)")
	}
	c.Region = u.Query().Get("region")
	return c, nil
}

// S3 is a bucket of an S3-compatible store.
type S3 struct {
	client *minio.Client
	bucket string
}

// NewS3 connects to the store and checks the bucket exists. It never creates it: the
// operator does, with the versioning or object lock they want for the ten years the
// documents are kept.
func NewS3(ctx context.Context, c Config) (*S3, error) {
	client, err := minio.New(c.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure:       c.Secure,
		Region:       c.Region,
		BucketLookup: minio.BucketLookupPath, // works with every S3-compatible store
	})
	if err != nil {
		return nil, fmt.Errorf("docstore: %w", err)
	}
	ok, err := client.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("docstore: bucket %q on %s: %w", c.Bucket, c.Endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("docstore: bucket %q does not exist on %s: create it first", c.Bucket, c.Endpoint)
	}
	return &S3{client: client, bucket: c.Bucket}, nil
}

// Put stores data under key. Keys name their content (its hash): putting a key again
// writes the same bytes.
func (s *S3) Put(ctx context.Context, key, contentType string, data []byte) error {
	_, err := s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: contentType})
	if err != nil {
		return fmt.Errorf("docstore: put %s: %w", key, err)
	}
	return nil
}

// Get returns the bytes kept under key, or an error wrapping ErrNotFound.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err == nil {
		defer obj.Close()
		var data []byte
		if data, err = io.ReadAll(obj); err == nil {
			return data, nil
		}
	}
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return nil, fmt.Errorf("docstore: %s: %w", key, ErrNotFound)
	}
	return nil, fmt.Errorf("docstore: get %s: %w", key, err)
}
